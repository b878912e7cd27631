package org.city311.platform.domain;

/**
 * A business rule refused an action: what the services' rules throw, free of HTTP. {@code ProblemDetailsAdvice} maps
 * each kind to its problem+json status in one place; a consumer acting on an event catches it by kind, never an HTTP
 * exception.
 */
public final class DomainException extends RuntimeException {

    /** Why it was refused. */
    public enum Kind {
        /** Nothing by that id. (404) */
        NOT_FOUND,
        /** The caller is known, but this is not theirs to change: another department's work. (403) */
        FORBIDDEN,
        /** The thing is not in a state where the action applies. (409) */
        CONFLICT,
        /** The caller acted on a version that has changed since they read it. (412) */
        STALE_VERSION,
        /** The action names something that cannot be used, such as an unknown department. (422) */
        INVALID
    }

    private final Kind kind;
    private final String field;

    private DomainException(Kind kind, String field, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static DomainException notFound(String detail) {
        return new DomainException(Kind.NOT_FOUND, null, detail);
    }

    public static DomainException forbidden(String detail) {
        return new DomainException(Kind.FORBIDDEN, null, detail);
    }

    public static DomainException conflict(String detail) {
        return new DomainException(Kind.CONFLICT, null, detail);
    }

    public static DomainException staleVersion(String detail) {
        return new DomainException(Kind.STALE_VERSION, null, detail);
    }

    /** @param field the input at fault, as the caller named it */
    public static DomainException invalid(String field, String detail) {
        return new DomainException(Kind.INVALID, field, detail);
    }

    public Kind kind() {
        return kind;
    }

    /** The input at fault, for {@link Kind#INVALID}; null otherwise. */
    public String field() {
        return field;
    }

    /** What a person reads: the problem's {@code detail}. */
    public String detail() {
        return getMessage();
    }
}

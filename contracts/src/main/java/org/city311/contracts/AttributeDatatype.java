package org.city311.contracts;

import java.util.Optional;

/**
 * What kind of answer a service's question takes: Open311's datatypes, as the catalog event's schema lists them
 * ({@code attributes[].datatype}). Code names a datatype from here, never as a literal.
 */
public enum AttributeDatatype {

    STRING("string"), NUMBER("number"), DATETIME("datetime"), TEXT("text"), SINGLEVALUELIST("singlevaluelist"),
    MULTIVALUELIST("multivaluelist");

    private final String wireName;

    AttributeDatatype(String wireName) {
        this.wireName = wireName;
    }

    /** As the catalog file, the catalog event and Open311 spell it. */
    public String wireName() {
        return wireName;
    }

    /** Answered by choosing among the question's values. */
    public boolean isList() {
        return this == SINGLEVALUELIST || this == MULTIVALUELIST;
    }

    /** The one datatype whose answer may be several values. */
    public boolean allowsSeveral() {
        return this == MULTIVALUELIST;
    }

    /** The datatype spelled so, or empty for one Open311 does not define (and for null). */
    public static Optional<AttributeDatatype> of(String wireName) {
        for (AttributeDatatype datatype : values()) {
            if (datatype.wireName.equals(wireName)) {
                return Optional.of(datatype);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package org.city311.request.open311;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** What every Open311 call does the same way: read its arguments, check the jurisdiction, answer in its format. */
@Component
class Calls {

    private final Open311Properties properties;

    Calls(Open311Properties properties) {
        this.properties = properties;
    }

    /** The format named by the path's extension ({@code {format}} in the route). */
    static Format format(ServerRequest request) {
        return Format.of(request.pathVariable("format"));
    }

    /** The query string's arguments, once the jurisdiction is known to be ours. */
    Parameters query(ServerRequest request) {
        return jurisdiction(Parameters.of(request.queryParams()));
    }

    /**
     * The query string's arguments followed by the form body's. The body must be
     * {@code application/x-www-form-urlencoded} (charset as declared, UTF-8 if none) and within the size limit: a
     * larger one is refused with 413 as soon as that is known, before it is parsed.
     */
    Mono<Parameters> form(ServerRequest request) {
        MediaType type;
        Charset charset;
        try {
            type = request.headers().contentType().orElse(null);
            charset = type == null || type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset();
        }
        catch (InvalidMediaTypeException | UnsupportedCharsetException | IllegalCharsetNameException ex) {
            return Mono.error(Open311Exception.badRequest("Content-Type: not a media type with a charset Java knows: "
                    + Parameters.abbreviate(String.valueOf(request.headers().firstHeader(HttpHeaders.CONTENT_TYPE)))));
        }
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
            return Mono.error(Open311Exception.badRequest("Content-Type: send the fields as "
                    + "application/x-www-form-urlencoded (charset=utf-8), not " + (type == null ? "nothing" : type)));
        }
        int limit = (int) Math.min(Integer.MAX_VALUE, properties.maxBodySize().toBytes());
        if (request.headers().contentLength().orElse(0) > limit) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), limit)
                .map(Calls::bytes)
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, ex -> tooLarge())
                .map(body -> jurisdiction(Parameters.of(request.queryParams()).and(Parameters.form(body, charset))));
    }

    private Open311Exception tooLarge() {
        return new Open311Exception(HttpStatus.CONTENT_TOO_LARGE, List.of("the request body is larger than "
                + properties.maxBodySize().toKilobytes() + " KB; a description holds at most 4000 characters"));
    }

    /** One jurisdiction is served: jurisdiction_id may be left out, and any other is not found. */
    private Parameters jurisdiction(Parameters parameters) {
        String given = parameters.text("jurisdiction_id");
        if (given != null && !given.strip().equalsIgnoreCase(properties.jurisdictionId())) {
            throw Open311Exception.notFound("jurisdiction_id: '" + Parameters.abbreviate(given)
                    + "' is not served here; this endpoint serves " + properties.jurisdictionId());
        }
        return parameters;
    }

    static Mono<ServerResponse> ok(Format format, Node body) {
        return ServerResponse.ok().header(HttpHeaders.CONTENT_TYPE, format.contentType())
                .bodyValue(format.render(body));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }
}

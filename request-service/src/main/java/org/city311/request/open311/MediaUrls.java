package org.city311.request.open311;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The {@code media_url}s Open311 clients send with a request (FixMyStreet: the report's photos). The request
 * document has no field for them yet, so they are kept beside it, keyed by the request id, and shown as the
 * request's {@code media_url}.
 */
@Component
class MediaUrls {

    static final int MAX_URLS = 10;
    private static final int MAX_LENGTH = 2000;

    private final ReactiveMongoTemplate mongo;

    MediaUrls(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Document("open311_media")
    record RequestMedia(@Id String requestId, List<String> urls) {
    }

    Mono<Void> keep(String requestId, List<String> urls) {
        return urls.isEmpty() ? Mono.empty() : mongo.save(new RequestMedia(requestId, urls)).then();
    }

    /** The first media URL of each request that has one. */
    Mono<Map<String, String>> firstOf(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return mongo.find(Query.query(Criteria.where("_id").in(requestIds)), RequestMedia.class)
                .filter(media -> media.urls() != null && !media.urls().isEmpty())
                .collect(Collectors.toMap(RequestMedia::requestId, media -> media.urls().get(0)));
    }

    /** What is wrong with a media_url, or null: an absolute http(s) URL without spaces or control characters. */
    static String problem(String url) {
        if (url.length() > MAX_LENGTH) {
            return "media_url: at most " + MAX_LENGTH + " characters";
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || (c >= 0x7f && c <= 0x9f))) {
            return "media_url: a URL has no spaces or control characters";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return null;
            }
        }
        catch (URISyntaxException ex) {
            // answered below
        }
        return "media_url: '" + Parameters.abbreviate(url) + "' is not an absolute http or https URL";
    }
}

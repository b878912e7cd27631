package org.city311.request.open311;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.city311.request.ServiceRequest;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The {@code media_url}s Open311 clients send with a request (FixMyStreet: the report's photos), stored in the
 * request document ({@code mediaUrls}). Requests filed before that kept them beside it, in {@code open311_media}:
 * still read for those.
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

    /** The first media URL of each request that has one. */
    Mono<Map<String, String>> firstOf(Collection<ServiceRequest> requests) {
        Map<String, String> first = new java.util.HashMap<>();
        List<String> older = new java.util.ArrayList<>();
        for (ServiceRequest request : requests) {
            if (request.mediaUrls() != null && !request.mediaUrls().isEmpty()) {
                first.put(request.id(), request.mediaUrls().get(0));
            }
            else {
                older.add(request.id());
            }
        }
        if (older.isEmpty()) {
            return Mono.just(first);
        }
        return mongo.find(Query.query(Criteria.where("_id").in(older)), RequestMedia.class)
                .filter(media -> media.urls() != null && !media.urls().isEmpty())
                .collect(() -> first, (found, media) -> found.put(media.requestId(), media.urls().get(0)));
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

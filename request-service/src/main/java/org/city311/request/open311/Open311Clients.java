package org.city311.request.open311;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The api_keys of Open311 client applications: issued, checked, marked as trusted integrations and revoked here,
 * stored hashed. The local development key is a trusted integration.
 */
@Component
class Open311Clients implements ApplicationRunner {

    static final String DEVELOPMENT_CLIENT = "local development";
    private static final int MAX_KEY_LENGTH = 200;
    private static final Logger log = LoggerFactory.getLogger(Open311Clients.class);

    private final ReactiveMongoTemplate mongo;
    private final Open311Properties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Open311Clients(ReactiveMongoTemplate mongo, Open311Properties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new client and its key, which is shown to staff this once and never stored. */
    record Issued(Open311Client client, String apiKey) {
    }

    /** The client a key belongs to, or empty when the key is missing, unknown or revoked. */
    Mono<Open311Client> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank() || apiKey.length() > MAX_KEY_LENGTH) {
            return Mono.empty();
        }
        return mongo.findById(hash(apiKey.strip()), Open311Client.class).filter(client -> !client.revoked());
    }

    Mono<Issued> issue(String name, boolean trustedIntegration) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return register(apiKey, name, trustedIntegration).map(client -> new Issued(client, apiKey));
    }

    /** Marks the key as a trusted integration, or no longer one. Empty for an unknown id. */
    Mono<Open311Client> trust(String clientId, boolean trustedIntegration) {
        return mongo.findAndModify(Query.query(Criteria.where("clientId").is(clientId)),
                new Update().set("trustedIntegration", trustedIntegration),
                FindAndModifyOptions.options().returnNew(true), Open311Client.class);
    }

    Flux<Open311Client> all() {
        return mongo.find(new Query().with(Sort.by("createdAt", "clientId")), Open311Client.class);
    }

    /** Revokes the key; revoking again keeps the first revocation's time. Empty for an unknown id. */
    Mono<Open311Client> revoke(String clientId) {
        Query query = Query.query(Criteria.where("clientId").is(clientId));
        return mongo.findAndModify(Query.query(Criteria.where("clientId").is(clientId).and("revokedAt").isNull()),
                        new Update().set("revokedAt", now()), FindAndModifyOptions.options().returnNew(true),
                        Open311Client.class)
                .switchIfEmpty(Mono.defer(() -> mongo.findOne(query, Open311Client.class)));
    }

    /**
     * Registers the development key of a local run, once, as a trusted integration (again at every start); a key
     * revoked since stays revoked.
     */
    @Override
    public void run(ApplicationArguments args) {
        String key = properties.devApiKey();
        if (key == null || key.isBlank()) {
            return;
        }
        Open311Client client = register(key.strip(), DEVELOPMENT_CLIENT, true)
                .onErrorResume(DuplicateKeyException.class, known -> mongo.findAndModify(
                        Query.query(Criteria.where("_id").is(hash(key.strip()))),
                        new Update().set("trustedIntegration", true), FindAndModifyOptions.options().returnNew(true),
                        Open311Client.class))
                .block(Duration.ofSeconds(30));
        if (client != null && client.revoked()) {
            log.warn("The development Open311 api_key (client {}) was revoked; it stays refused", client.clientId());
        }
        else if (client != null) {
            log.info("Open311 development api_key registered as client {} ('{}')", client.clientId(), client.name());
        }
    }

    private Mono<Open311Client> register(String apiKey, String name, boolean trustedIntegration) {
        String hash = hash(apiKey);
        return mongo.insert(new Open311Client(hash, hash.substring(0, 12), name, now(), null, trustedIntegration));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static String hash(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

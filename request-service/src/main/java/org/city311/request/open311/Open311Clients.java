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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>
 * A key that checked out is remembered for {@code city311.open311.key-cache} (30 s): a client posting a storm's worth
 * of requests had its key read from the store with each one (a quarter of a store command per filed request in the
 * storm bench). Revoking a key or changing its trust forgets it at once on this instance; another instance goes on
 * accepting it, or taking it as it was, for at most that long. Unknown keys are not remembered: each is read again.
 */
@Component
class Open311Clients implements ApplicationRunner {

    static final String DEVELOPMENT_CLIENT = "local development";
    private static final int MAX_KEY_LENGTH = 200;
    private static final int MAX_REMEMBERED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(Open311Clients.class);

    private final ReactiveMongoTemplate mongo;
    private final Open311Properties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Keys that checked out, by their hash: the client and until when it may be taken from here. */
    private final Map<String, Remembered> checked = new ConcurrentHashMap<>();

    private record Remembered(Open311Client client, Instant until) {
    }

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
        String hash = hash(apiKey.strip());
        Instant now = clock.instant();
        Remembered remembered = checked.get(hash);
        if (remembered != null && now.isBefore(remembered.until())) {
            return Mono.just(remembered.client());
        }
        return mongo.findById(hash, Open311Client.class).filter(client -> !client.revoked())
                .doOnNext(client -> remember(hash, client, now));
    }

    private void remember(String hash, Open311Client client, Instant now) {
        Duration life = properties.keyCache();
        if (life.isZero() || life.isNegative()) {
            return;
        }
        if (checked.size() >= MAX_REMEMBERED) {
            checked.clear(); // far more client applications than any city has: start again rather than grow
        }
        checked.put(hash, new Remembered(client, now.plus(life)));
    }

    /** A key whose client changed here: read again at its next use. */
    private Mono<Open311Client> forgetting(Mono<Open311Client> changed) {
        return changed.doOnNext(client -> checked.values().removeIf(
                remembered -> remembered.client().clientId().equals(client.clientId())));
    }

    Mono<Issued> issue(String name, boolean trustedIntegration) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return register(apiKey, name, trustedIntegration).map(client -> new Issued(client, apiKey));
    }

    /** Marks the key as a trusted integration, or no longer one. Empty for an unknown id. */
    Mono<Open311Client> trust(String clientId, boolean trustedIntegration) {
        return forgetting(mongo.findAndModify(Query.query(Criteria.where("clientId").is(clientId)),
                new Update().set("trustedIntegration", trustedIntegration),
                FindAndModifyOptions.options().returnNew(true), Open311Client.class));
    }

    Flux<Open311Client> all() {
        return mongo.find(new Query().with(Sort.by("createdAt", "clientId")), Open311Client.class);
    }

    /** Revokes the key; revoking again keeps the first revocation's time. Empty for an unknown id. */
    Mono<Open311Client> revoke(String clientId) {
        Query query = Query.query(Criteria.where("clientId").is(clientId));
        return forgetting(mongo.findAndModify(Query.query(Criteria.where("clientId").is(clientId)
                                .and("revokedAt").isNull()),
                        new Update().set("revokedAt", now()), FindAndModifyOptions.options().returnNew(true),
                        Open311Client.class)
                .switchIfEmpty(Mono.defer(() -> mongo.findOne(query, Open311Client.class))));
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

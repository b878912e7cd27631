package org.city311.console.upstream;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

import org.city311.contracts.AttributeDatatype;
import org.city311.contracts.TargetUnit;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The service catalog as routing-service publishes it: who does what, to which standard, and what to ask. Its
 * services and departments are reused for {@link #REUSED_FOR} (the same for everyone; nearly every page names them)
 * and read again at once after an administrator saves a catalog here ({@link #changed()}); the directory search is
 * asked each time.
 */
@Component
public class Catalog {

    public record Service(String code, String name, String group, List<String> keywords, String description,
            String department, String type, Standard standard, List<Attribute> attributes) {

        public Service {
            keywords = keywords == null ? List.of() : keywords;
            attributes = attributes == null ? List.of() : attributes.stream()
                    .sorted(Comparator.comparingInt(Attribute::order)).toList();
        }
    }

    public record Standard(Target firstAction, Target resolution, boolean pauseOnHold) {

        /** "first action within 2 business days, resolved within 10 business days" */
        public String inWords() {
            StringBuilder words = new StringBuilder();
            if (firstAction != null) {
                words.append("first action within ").append(firstAction.inWords());
            }
            if (resolution != null) {
                words.append(words.isEmpty() ? "" : ", ").append("resolved within ").append(resolution.inWords());
            }
            return words.toString();
        }
    }

    public record Target(int amount, String unit) {

        public String inWords() {
            String unitWords = TargetUnit.of(unit).map(known -> switch (known) {
                case HOURS -> "hour";
                case BUSINESS_HOURS -> "business hour";
                case BUSINESS_DAYS -> "business day";
                case CALENDAR_DAYS -> "day";
            }).orElse(unit);
            return amount + " " + unitWords + (amount == 1 ? "" : "s");
        }
    }

    /** An Open311 question: datatype string, number, datetime, text, singlevaluelist or multivaluelist. */
    public record Attribute(String code, String datatype, boolean required, Boolean variable, int order,
            String description, String datatypeDescription, List<Value> values) {

        public Attribute {
            values = values == null ? List.of() : values;
        }

        /** The datatype; one this console does not know yet is asked as free text. */
        public AttributeDatatype kind() {
            return AttributeDatatype.of(datatype).orElse(AttributeDatatype.STRING);
        }

        /** Informational attributes (variable false) are shown, not asked. */
        public boolean asked() {
            return variable == null || variable;
        }
    }

    public record Value(String key, String name) {
    }

    public record Department(String code, String name, String mission, String description, Contact contact,
            Hours hours, Location location, List<String> skills, List<Fact> facts, List<Question> faq,
            String feedbackUrl) {

        public Department {
            skills = skills == null ? List.of() : skills;
            facts = facts == null ? List.of() : facts;
            faq = faq == null ? List.of() : faq;
        }
    }

    public record Contact(String phone, String email, String url) {
    }

    public record Hours(String timeZone, Map<String, String> weekly, List<String> holidays) {
    }

    /** Where a department receives the public; {@code openingHours} as it would be posted on its door. */
    public record Location(String address, String openingHours) {
    }

    public record Fact(String label, String value) {
    }

    public record Question(String question, String answer) {
    }

    /** A directory hit: a service found by the resident's own words, and who provides it. */
    public record DirectoryHit(String serviceCode, String serviceName, String department, String departmentName,
            String group, double score, String matchedOn) {
    }

    private static final ParameterizedTypeReference<List<Service>> SERVICES = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<Department>> DEPARTMENTS =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<List<DirectoryHit>> HITS = new ParameterizedTypeReference<>() {
    };

    /**
     * How long the console reuses the catalog's services and departments it read: they change when an administrator
     * saves a catalog, and are the same for everyone (nothing personal), while nearly every page names them. A saved
     * catalog shows on the pages within this time.
     */
    static final Duration REUSED_FOR = Duration.ofSeconds(30);

    /** A value read from routing-service, and when ({@link System#nanoTime()}): reused while fresh. */
    private record Read<T>(T value, long at) {

        boolean fresh() {
            return System.nanoTime() - at < REUSED_FOR.toNanos();
        }
    }

    private final AtomicReference<Read<List<Service>>> services = new AtomicReference<>();
    private final AtomicReference<Read<List<Department>>> departments = new AtomicReference<>();

    /** The last read while fresh, else a new read (kept unless empty: a catalog has services and departments). */
    private static <T> Mono<List<T>> reused(AtomicReference<Read<List<T>>> last, Mono<List<T>> read) {
        Read<List<T>> known = last.get();
        if (known != null && known.fresh()) {
            return Mono.just(known.value());
        }
        return read.map(List::copyOf).doOnNext(value -> {
            if (!value.isEmpty()) {
                last.set(new Read<>(value, System.nanoTime()));
            }
        });
    }

    /** A catalog was saved: the next page reads the new one. */
    public void changed() {
        services.set(null);
        departments.set(null);
    }

    public Mono<List<Service>> services(WebClient routing) {
        return reused(services, routing.get().uri("/api/catalog/services").retrieve().bodyToMono(SERVICES)
                .defaultIfEmpty(List.of()));
    }

    public Mono<Optional<Service>> service(WebClient routing, String code) {
        return services(routing).map(all -> all.stream().filter(one -> one.code().equals(code)).findFirst());
    }

    public Mono<List<Department>> departments(WebClient routing) {
        return reused(departments, routing.get().uri("/api/catalog/departments").retrieve().bodyToMono(DEPARTMENTS)
                .defaultIfEmpty(List.of()));
    }

    public Mono<List<DirectoryHit>> directory(WebClient routing, String words) {
        return routing.get().uri(uri -> uri.path("/api/directory").queryParam("q", words)
                .queryParam("limit", 8).build()).retrieve().bodyToMono(HITS).defaultIfEmpty(List.of());
    }
}

package org.city311.routing.directory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Finds services, and the department that handles each, from the words a resident would use ("rats", "no heat").
 * Text is compared lower-case, without punctuation, and with a plural {@code s} taken off each word. A service
 * scores, highest first:
 * <ul>
 * <li>{@value #EXACT} if the words are exactly one of its keywords (or its name or code), {@value #PHRASE} if one
 * of its keywords occurs as a phrase within them ("my apartment has no heat");</li>
 * <li>up to {@value #NAME} for the share of the words found in its name;</li>
 * <li>up to {@value #KEYWORD_WORDS} for the share found among the words of its keywords;</li>
 * <li>up to {@value #DESCRIPTION} for the share found in its description.</li>
 * </ul>
 * Little words ("the", "in", "my") count for no share. Services that score nothing are left out.
 */
@Component
class DirectorySearch {

    static final int EXACT = 100;
    static final int PHRASE = 60;
    static final int NAME = 30;
    static final int KEYWORD_WORDS = 20;
    static final int DESCRIPTION = 10;

    private static final Set<String> LITTLE_WORDS = Set.of("a", "an", "and", "are", "at", "by", "for", "from", "i",
            "in", "is", "it", "my", "of", "on", "or", "our", "the", "there", "to", "we", "with");

    private final Supplier<Catalog> catalog;

    @Autowired
    DirectorySearch(ServiceCatalog catalog) {
        this(catalog::current);
    }

    DirectorySearch(Supplier<Catalog> catalog) {
        this.catalog = catalog;
    }

    /** The best matches, best first (ties by service name). */
    List<DirectoryEntry> search(String query, int limit) {
        Catalog current = catalog.get();
        List<String> words = terms(query);
        if (words.isEmpty()) {
            return List.of();
        }
        return current.services().stream()
                .map(service -> score(current, service, words))
                .filter(entry -> entry.score() > 0)
                .sorted(Comparator.comparingDouble(DirectoryEntry::score).reversed()
                        .thenComparing(DirectoryEntry::serviceName))
                .limit(limit)
                .toList();
    }

    private static DirectoryEntry score(Catalog catalog, Catalog.Service service, List<String> words) {
        String phrase = String.join(" ", words);
        List<String> counted = words.stream().filter(word -> !LITTLE_WORDS.contains(word)).toList();
        if (counted.isEmpty()) {
            counted = words;
        }
        double score = 0;
        String matchedOn = null;

        String name = String.join(" ", terms(service.name()));
        if (name.equals(phrase) || String.join(" ", terms(service.code())).equals(phrase)) {
            score += EXACT;
            matchedOn = "name";
        }
        else {
            String bestKeyword = null;
            int best = 0;
            for (String keyword : service.keywords()) {
                String normalised = String.join(" ", terms(keyword));
                int points = normalised.equals(phrase) ? EXACT : containsPhrase(phrase, normalised) ? PHRASE : 0;
                if (points > best) {
                    best = points;
                    bestKeyword = keyword;
                }
            }
            if (best > 0) {
                score += best;
                matchedOn = "keyword:" + bestKeyword;
            }
        }

        double nameShare = share(counted, new HashSet<>(terms(service.name())));
        Set<String> keywordTerms = service.keywords().stream().flatMap(keyword -> terms(keyword).stream())
                .collect(Collectors.toSet());
        double keywordShare = share(counted, keywordTerms);
        double descriptionShare = share(counted, new HashSet<>(terms(service.description())));
        score += NAME * nameShare + KEYWORD_WORDS * keywordShare + DESCRIPTION * descriptionShare;
        if (matchedOn == null) {
            matchedOn = nameShare > 0 ? "name"
                    : keywordShare > 0 ? "keyword:" + bestKeywordByWords(service, counted)
                    : "description";
        }
        String department = catalog.handlingDepartment(service);
        String departmentName = catalog.department(department).map(Catalog.Department::name).orElse(department);
        return new DirectoryEntry(service.code(), service.name(), department, departmentName, service.group(),
                Math.round(score * 10) / 10.0, matchedOn);
    }

    private static String bestKeywordByWords(Catalog.Service service, List<String> counted) {
        return service.keywords().stream()
                .max(Comparator.comparingDouble(keyword -> share(counted, new HashSet<>(terms(keyword)))))
                .orElse("");
    }

    private static double share(List<String> words, Set<String> in) {
        long found = words.stream().filter(in::contains).count();
        return (double) found / words.size();
    }

    private static boolean containsPhrase(String words, String phrase) {
        return !phrase.isEmpty() && (" " + words + " ").contains(" " + phrase + " ");
    }

    /** Lower-case words without punctuation, each without a plural {@code s}. */
    static List<String> terms(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty())
                .map(DirectorySearch::singular)
                .toList();
    }

    private static String singular(String word) {
        return word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")
                ? word.substring(0, word.length() - 1) : word;
    }
}

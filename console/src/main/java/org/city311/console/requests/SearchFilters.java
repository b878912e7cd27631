package org.city311.console.requests;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search form's choices as request-service's search takes them: "open" and "done" stand for the statuses they
 * gather, and a day ({@code 2026-11-23}, the browser's date field) for the city's midnight starting it ("from") or
 * ending it ("to", the whole day included). Anything else is passed as given, for request-service to judge.
 */
final class SearchFilters {

    /** The statuses of requests still waiting for their department, and of those it has finished. */
    static final Map<String, String> STATUS_GROUPS = Map.of(
            "open", "submitted,routed,in_progress,on_hold,reopened",
            "done", "resolved,closed");

    /** The statuses offered one by one, as request-service names them. */
    static final List<String> STATUSES = List.of("submitted", "routed", "in_progress", "on_hold", "reopened",
            "resolved", "closed");

    private SearchFilters() {
    }

    static Map<String, String> upstream(Map<String, String> shown, ZoneId cityZone) {
        Map<String, String> sent = new LinkedHashMap<>(shown);
        sent.computeIfPresent("status", (name, status) -> STATUS_GROUPS.getOrDefault(status, status));
        sent.computeIfPresent("from", (name, day) -> startOf(day, 0, cityZone));
        sent.computeIfPresent("to", (name, day) -> startOf(day, 1, cityZone));
        return sent;
    }

    private static String startOf(String day, int daysLater, ZoneId cityZone) {
        try {
            return LocalDate.parse(day).plusDays(daysLater).atStartOfDay(cityZone).toInstant().toString();
        }
        catch (DateTimeParseException notADay) {
            return day;
        }
    }
}

package org.city311.console.call;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.city311.console.upstream.Catalog;
import org.city311.contracts.AttributeDatatype;
import org.springframework.util.MultiValueMap;

/**
 * The take-a-call form as sent by the browser: the resident's details (kept apart from the call-taker's own,
 * which come from their sign-in), where, what, and the answers to the service's questions ({@code attr.<code>}).
 *
 * @param internal filed for the call-taker's own department (agents and supervisors), not for a resident
 */
record CallForm(String serviceCode, String description, String channel, String address, Double latitude,
        Double longitude, String firstName, String lastName, String phone, String email, boolean consentToContact,
        boolean internal, Map<String, List<String>> answers, String idempotencyKey) {

    /** A field's problem, named as the form names the field, so the message stands next to it. */
    record FieldError(String field, String message) {
    }

    static CallForm read(MultiValueMap<String, String> form) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            if (name.startsWith("attr.")) {
                List<String> given = values.stream().filter(value -> value != null && !value.isBlank()).toList();
                answers.put(name.substring("attr.".length()), given);
            }
        });
        return new CallForm(text(form, "serviceCode"), text(form, "description"),
                text(form, "channel") == null ? "phone" : text(form, "channel"), text(form, "address"),
                number(form, "latitude"), number(form, "longitude"), text(form, "firstName"),
                text(form, "lastName"), text(form, "phone"), text(form, "email"),
                "yes".equals(form.getFirst("consentToContact")), "yes".equals(form.getFirst("internal")), answers,
                text(form, "idempotencyKey"));
    }

    /** What the console checks before sending: the service's required questions, a point or an address. */
    List<FieldError> check(Catalog.Service service) {
        List<FieldError> errors = new ArrayList<>();
        if (serviceCode == null) {
            errors.add(new FieldError("directory-search", "Choose the service the caller needs."));
            return errors;
        }
        for (Catalog.Attribute attribute : service.attributes()) {
            if (attribute.asked() && attribute.required() && answers.getOrDefault(attribute.code(), List.of())
                    .isEmpty()) {
                errors.add(new FieldError("attr." + attribute.code(), "Answer: " + attribute.description()));
            }
            for (String answer : answers.getOrDefault(attribute.code(), List.of())) {
                if (attribute.kind() == AttributeDatatype.NUMBER && !answer.matches("-?\\d+(\\.\\d+)?")) {
                    errors.add(new FieldError("attr." + attribute.code(), "Give a number."));
                }
                if (attribute.kind() == AttributeDatatype.DATETIME && !isDateTime(answer)) {
                    errors.add(new FieldError("attr." + attribute.code(), "Give a date and a time."));
                }
                if (attribute.kind().isList() && attribute.values().stream().noneMatch(value -> value.key().equals(answer))) {
                    errors.add(new FieldError("attr." + attribute.code(), "Choose one of the listed answers."));
                }
            }
        }
        if (!internal && latitude == null && address == null) {
            errors.add(new FieldError("address", "Give the address, or set the point on the map."));
        }
        if (latitude != null && (latitude.isNaN() || latitude < -90 || latitude > 90)) {
            errors.add(new FieldError("latitude", "A latitude is a number from -90 to 90."));
        }
        if (longitude != null && (longitude.isNaN() || longitude < -180 || longitude > 180)) {
            errors.add(new FieldError("longitude", "A longitude is a number from -180 to 180."));
        }
        if ((latitude == null) != (longitude == null)) {
            errors.add(new FieldError("latitude", "Give both latitude and longitude, or neither."));
        }
        if (consentToContact && phone == null && email == null) {
            errors.add(new FieldError("phone", "To contact the caller, give a phone number or an e-mail address."));
        }
        return errors;
    }

    /** The body request-service's staff intake takes. */
    Map<String, Object> toRequest(Catalog.Service service, String department, ZoneId cityZone) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serviceCode", serviceCode);
        body.put("description", description);
        body.put("channel", internal ? "internal" : channel);
        if (address != null || latitude != null) {
            Map<String, Object> location = new LinkedHashMap<>();
            location.put("address", address);
            location.put("latitude", latitude);
            location.put("longitude", longitude);
            body.put("location", location);
        }
        if (internal) {
            body.put("requestingDepartment", department);
        }
        else if (firstName != null || lastName != null || phone != null || email != null) {
            body.put("resident", resident());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Catalog.Attribute attribute : service.attributes()) {
            List<String> given = answers.getOrDefault(attribute.code(), List.of());
            if (given.isEmpty()) {
                continue;
            }
            if (attribute.kind() == AttributeDatatype.DATETIME) {
                given = given.stream().map(answer -> withOffset(answer, cityZone)).toList();
            }
            attributes.put(attribute.code(), attribute.kind().allowsSeveral() ? given : given.get(0));
        }
        if (!attributes.isEmpty()) {
            body.put("attributes", attributes);
        }
        return body;
    }

    /**
     * A date and time as request-service takes it, with its offset: the browser's date-and-time field gives none
     * ({@code 2026-11-23T08:15}), and the caller means the city's time, so the city's offset on that day is added.
     */
    static String withOffset(String answer, ZoneId cityZone) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(answer));
        }
        catch (DateTimeParseException noOffset) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(LocalDateTime.parse(answer).atZone(cityZone));
        }
    }

    private static boolean isDateTime(String answer) {
        try {
            withOffset(answer, ZoneOffset.UTC);
            return true;
        }
        catch (DateTimeParseException neither) {
            return false;
        }
    }

    /** The caller's details, for a new request or as one more reporter of an existing one. */
    Map<String, Object> resident() {
        Map<String, Object> resident = new LinkedHashMap<>();
        resident.put("firstName", firstName);
        resident.put("lastName", lastName);
        resident.put("phone", phone);
        resident.put("email", email);
        resident.put("consentToContact", consentToContact);
        return resident;
    }

    private static String text(MultiValueMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Double number(MultiValueMap<String, String> form, String name) {
        String value = text(form, name);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value);
        }
        catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }
}

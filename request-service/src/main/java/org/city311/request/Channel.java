package org.city311.request;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the request reached the city. */
public enum Channel {
    PHONE, WALK_IN, EMAIL, WEB, MOBILE, INTERNAL, OPEN311;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Channel fromWireName(String value) {
        return Arrays.stream(values())
                .filter(channel -> channel.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown channel '" + value
                        + "'; one of phone, walk_in, email, web, mobile, internal, open311"));
    }
}

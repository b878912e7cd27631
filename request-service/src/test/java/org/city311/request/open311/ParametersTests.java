package org.city311.request.open311;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading Open311 arguments: form bodies, attribute[...] keys, datetimes and lists. */
class ParametersTests {

    @Test
    void shouldReadSingleAttributesAsTextAndBracketedOnesAsLists() {
        Parameters form = form("service_code=pothole&attribute%5Bsize%5D=large"
                + "&attribute[hazards][]=near-school&attribute[hazards][]=exposed-wires&attribute[lane][]=bike-lane");

        assertThat(form.attributes()).containsExactly(Map.entry("size", "large"),
                Map.entry("hazards", List.of("near-school", "exposed-wires")), Map.entry("lane", List.of("bike-lane")));
    }

    @Test
    void shouldReadARepeatedAttributeAsAListTheWayFixMyStreetSendsIt() {
        assertThat(form("attribute[hazards]=near-school&attribute[hazards]=dark-crosswalk").attributes())
                .containsExactly(Map.entry("hazards", List.of("near-school", "dark-crosswalk")));
    }

    @Test
    void shouldTreatEmptyValuesAsAbsent() {
        Parameters form = form("description=&attribute[lane]=&lat=40.7");

        assertThat(form.text("description")).isNull();
        assertThat(form.attributes()).isEmpty();
        assertThat(form.text("lat")).isEqualTo("40.7");
    }

    @Test
    void shouldRefuseAttributeKeysOfAnyOtherShapeNamingThem() {
        assertThatThrownBy(() -> form("attribute[a][b]=1").attributes())
                .isInstanceOfSatisfying(Open311Exception.class, ex -> assertThat(ex.descriptions())
                        .singleElement().asString().startsWith("attribute[a][b]:"));
        assertThatThrownBy(() -> form("attribute[]=1").attributes()).isInstanceOf(Open311Exception.class);
        assertThatThrownBy(() -> form("attribute[size=1").attributes()).isInstanceOf(Open311Exception.class);
    }

    @Test
    void shouldDecodePlusPercentAndRawUtf8AndTheDeclaredCharset() {
        assertThat(form("description=Caf%C3%A9+on+5th%0D%0Aline+two").text("description"))
                .isEqualTo("Café on 5th\r\nline two");
        assertThat(Parameters.form("address_string=Café".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .text("address_string")).isEqualTo("Café");
        assertThat(Parameters.form("address_string=Caf%E9".getBytes(StandardCharsets.US_ASCII),
                Charset.forName("ISO-8859-1")).text("address_string")).isEqualTo("Café");
    }

    @Test
    void shouldRefuseMalformedPercentEncodingAndInvalidUtf8() {
        assertThatThrownBy(() -> form("description=100%+sure")).isInstanceOfSatisfying(Open311Exception.class,
                ex -> assertThat(ex.descriptions().get(0)).startsWith("description: malformed percent-encoding"));
        assertThatThrownBy(() -> form("description=%zz")).isInstanceOf(Open311Exception.class);
        assertThatThrownBy(() -> form("description=%C3")).isInstanceOfSatisfying(Open311Exception.class,
                ex -> assertThat(ex.descriptions().get(0)).isEqualTo("description: not valid UTF-8 text"));
    }

    @Test
    void shouldRefuseOneArgumentGivenTwiceWithDifferentValues() {
        assertThat(form("service_code=pothole&service_code=pothole").text("service_code")).isEqualTo("pothole");
        assertThatThrownBy(() -> form("service_code=pothole&service_code=other").text("service_code"))
                .isInstanceOf(Open311Exception.class);
    }

    @Test
    void shouldKeepQueryArgumentsBeforeTheFormsAndFormFieldsWithoutValue() {
        LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("jurisdiction_id", "samplecity.example");
        Parameters merged = Parameters.of(query).and(form("api_key=k&flag"));

        assertThat(merged.text("jurisdiction_id")).isEqualTo("samplecity.example");
        assertThat(merged.text("api_key")).isEqualTo("k");
        assertThat(merged.text("flag")).isNull();
    }

    @Test
    void shouldReadW3cDatetimesWithTheirOffsetOnly() {
        assertThat(form("start_date=2026-11-23T09:05:12-05:00").datetime("start_date"))
                .isEqualTo(Instant.parse("2026-11-23T14:05:12Z"));
        // '+' of an offset left unescaped in a query string arrives as a space
        assertThat(form("start_date=2026-11-23T15:05:12+01:00").datetime("start_date"))
                .isEqualTo(Instant.parse("2026-11-23T14:05:12Z"));
        assertThatThrownBy(() -> form("start_date=2026-11-23T14:05:12").datetime("start_date"))
                .isInstanceOfSatisfying(Open311Exception.class,
                        ex -> assertThat(ex.descriptions().get(0)).startsWith("start_date: "));
        assertThatThrownBy(() -> form("start_date=yesterday").datetime("start_date"))
                .isInstanceOf(Open311Exception.class);
    }

    @Test
    void shouldReadCommaListsNumbersAndFlags() {
        Parameters query = form("service_code=pothole,+other,,&page=2&page_size=x&extensions=TRUE&status=nope");

        assertThat(query.list("service_code")).containsExactly("pothole", "other");
        assertThat(query.integer("page", 1, 10)).isEqualTo(2);
        assertThatThrownBy(() -> query.integer("page_size", 1, 500)).isInstanceOf(Open311Exception.class);
        assertThat(query.flag("extensions")).isTrue();
        assertThatThrownBy(() -> form("extensions=yes").flag("extensions")).isInstanceOf(Open311Exception.class);
    }

    @Test
    void shouldRefuseFormsWithTooManyFields() {
        String many = "a=1&".repeat(Parameters.MAX_PARAMETERS + 1);

        assertThatThrownBy(() -> form(many)).isInstanceOf(Open311Exception.class);
    }

    private static Parameters form(String body) {
        return Parameters.form(body.getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8);
    }
}

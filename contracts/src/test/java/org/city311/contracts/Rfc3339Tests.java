package org.city311.contracts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;

import com.networknt.schema.format.DateTimeFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Tests {

    private final DateTimeFormat validators = new DateTimeFormat();

    @Test
    void shouldReadTenThousandPlainTimesAsJavaTimeReadsThemAndTheValidatorAcceptsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            int year = 1970 + random.nextInt(100);
            int month = 1 + random.nextInt(12);
            int day = 1 + random.nextInt(java.time.YearMonth.of(year, month).lengthOfMonth());
            String fraction = switch (random.nextInt(4)) {
                case 0 -> "";
                case 1 -> "." + random.nextInt(10);
                case 2 -> String.format(".%03d", random.nextInt(1000));
                default -> String.format(".%09d", random.nextInt(1_000_000_000));
            };
            String offset = random.nextBoolean() ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                    random.nextInt(18), random.nextInt(60));
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", year, month, day, random.nextInt(24),
                    random.nextInt(60), random.nextInt(60), fraction, offset);

            assertThat(Rfc3339.instant(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
            assertThat(validators.matches(null, text)).as(text).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-02-29T09:00:00Z", "2026-13-01T09:00:00Z", "2026-04-31T09:00:00Z",
            "2026-03-01T24:00:00Z", "2026-03-01T09:60:00Z", "2026-03-01T09:00:60Z", "2026-03-01 09:00:00Z",
            "2026-03-01T09:00:00", "2026-03-01T09:00:00.Z", "2026-03-01T09:00:00.1234567890Z", "2026-03-01t09:00:00z",
            "2026-03-01T09:00:00+1:00", "2026-03-01T09:00:00+19:00", "2026-3-01T09:00:00Z", "23/11/2026 14:05",
            "2026-03-01T09:00:00Z ", "" })
    void shouldLeaveEveryOtherTextToTheGeneralParser(String text) {
        assertThat(Rfc3339.instant(text)).isNull();
    }

    @Test
    void shouldReadALeapDayAndTheEdgesOfAnOffset() {
        assertThat(Rfc3339.instant("2024-02-29T23:59:59.999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z"));
        assertThat(Rfc3339.instant("2026-03-01T09:00:00-18:00")).isEqualTo(Instant.parse("2026-03-02T03:00:00Z"));
        assertThat(Rfc3339.instant("2026-03-01T09:00:00+18:00")).isEqualTo(Instant.parse("2026-02-28T15:00:00Z"));
    }
}

package org.city311.routing.calendar;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.city311.platform.calendar.BusinessCalendar;
import org.city311.routing.catalog.Catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.city311.platform.calendar.SampleHours.NEW_YORK;

/** The sample city's departments publish hours their business calendars take: due times can be counted for each. */
class SampleCityCalendarsTests {

    @Test
    void shouldAcceptTheHoursOfEverySampleCityDepartment() throws Exception {
        Catalog catalog;
        try (InputStream sample = getClass().getResourceAsStream("/catalog/sample-city.yml")) {
            catalog = YAMLMapper.builder().build().readValue(sample, Catalog.class);
        }

        assertThat(catalog.departments()).isNotEmpty().allSatisfy(department -> {
            BusinessCalendar calendar = BusinessCalendar.of(department.hours());
            assertThat(calendar.zone()).isEqualTo(ZoneId.of(NEW_YORK));
            assertThat(calendar.isBusinessDay(LocalDate.of(2026, 11, 25))).isTrue();
        });
    }
}

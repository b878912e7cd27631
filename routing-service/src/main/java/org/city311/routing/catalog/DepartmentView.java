package org.city311.routing.catalog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.city311.platform.calendar.BusinessCalendar;

/**
 * A department as {@code /api/catalog/departments} shows it: its catalog entry, brochure included. How it hands
 * work to its agents, and who they are, is shown to the people of the city only: the console's public pages
 * (role {@code public-reader}) get the department without {@code assignment} and {@code agents}.
 */
record DepartmentView(String code, String name, String mission, String description, Catalog.Location location,
        Catalog.Contact contact, BusinessCalendar.Hours hours, List<String> skills, List<Catalog.Fact> facts,
        List<Catalog.Question> faq, String feedbackUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) String assignment,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> agents) {

    /** @param staffing whether to show the assignment and the agents */
    static DepartmentView of(Catalog.Department department, boolean staffing) {
        return new DepartmentView(department.code(), department.name(), department.mission(),
                department.description(), department.location(), department.contact(), department.hours(),
                department.skills(), department.facts(), department.faq(), department.feedbackUrl(),
                staffing ? department.assignment() : null, staffing ? department.agents() : null);
    }
}

package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.city311.platform.calendar.BusinessCalendar;
import org.city311.routing.calendar.DueTimes;
import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.stereotype.Component;

/**
 * When a request is due, by the service's published standard counted on the calendar of the department that has
 * it. The due times are fixed when the request is routed; a transfer keeps them (the resident's clock does not
 * restart because the city moved the request), and time on hold moves them later only where the standard says the
 * clock pauses.
 */
@Component
class Deadlines implements WorkTransitions.Standards {

    private final ServiceCatalog catalog;
    /** Parsed once per department's hours, not on every routed event; a new catalog brings new hours records. */
    private final Map<BusinessCalendar.Hours, BusinessCalendar> calendars = new ConcurrentHashMap<>();

    Deadlines(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    record Due(Instant firstAction, Instant resolution) {
    }

    Due on(String serviceCode, String department, Instant received) {
        Optional<Catalog.Standard> standard = standard(serviceCode);
        if (standard.isEmpty()) {
            return new Due(null, null);
        }
        BusinessCalendar calendar = calendar(department);
        return new Due(DueTimes.due(received, standard.get().firstAction(), calendar),
                DueTimes.due(received, standard.get().resolution(), calendar));
    }

    /** The due times after a hold from {@code heldSince} to {@code resumed}, for the item as it was on hold. */
    @Override
    public Due afterHold(WorkItem item, Instant resumed) {
        Due current = new Due(item.firstActionDueAt(), item.resolutionDueAt());
        Optional<Catalog.Standard> standard = standard(item.serviceCode());
        if (standard.isEmpty() || !standard.get().pauseOnHold() || item.heldSince() == null) {
            return current;
        }
        BusinessCalendar calendar = calendar(item.department());
        Instant firstAction = item.firstActionAt() != null ? current.firstAction()
                : moved(current.firstAction(), standard.get().firstAction(), calendar, item.heldSince(), resumed);
        return new Due(firstAction, moved(current.resolution(), standard.get().resolution(), calendar,
                item.heldSince(), resumed));
    }

    /** Whether time on hold stops the service's clock (its standard says so). */
    @Override
    public boolean pausesClock(String serviceCode) {
        return standard(serviceCode).map(Catalog.Standard::pauseOnHold).orElse(false);
    }

    @Override
    public boolean departmentExists(String department) {
        return catalog.current().department(department).isPresent();
    }

    private static Instant moved(Instant due, Catalog.Target target, BusinessCalendar calendar, Instant heldSince,
            Instant resumed) {
        if (due == null || target == null) {
            return due;
        }
        Duration held = DueTimes.isBusinessUnit(target) ? calendar.businessTimeBetween(heldSince, resumed)
                : Duration.between(heldSince, resumed);
        return DueTimes.dueAfterHolds(due, held, target, calendar);
    }

    private Optional<Catalog.Standard> standard(String serviceCode) {
        return catalog.current().service(serviceCode).map(Catalog.Service::standard);
    }

    private BusinessCalendar calendar(String department) {
        return catalog.current().department(department)
                .map(Catalog.Department::hours)
                .map(hours -> calendars.computeIfAbsent(hours, BusinessCalendar::of))
                .orElse(BusinessCalendar.AROUND_THE_CLOCK_UTC);
    }
}

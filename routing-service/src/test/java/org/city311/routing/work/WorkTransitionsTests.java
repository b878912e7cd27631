package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.city311.contracts.TransferReason;
import org.city311.platform.domain.DomainException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every transition of the department work state machine, without Spring, a broker or a store: what each action
 * makes of an item in each status, the event it announces, and the refusals a department's staff would see.
 */
class WorkTransitionsTests {

    static final Instant ROUTED_AT = Instant.parse("2026-11-30T14:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");
    static final Instant FIRST_DUE = Instant.parse("2026-12-02T14:00:00Z");
    static final Instant RESOLUTION_DUE = Instant.parse("2026-12-14T14:00:00Z");

    /** Potholes pause their clock on hold, noise does not; a hold moves both due times on by its length. */
    static final WorkTransitions MACHINE = new WorkTransitions(new WorkTransitions.Standards() {
        @Override
        public boolean pausesClock(String serviceCode) {
            return serviceCode.equals("pothole");
        }

        @Override
        public Deadlines.Due afterHold(WorkItem item, Instant resumed) {
            Duration held = Duration.between(item.heldSince(), resumed);
            return new Deadlines.Due(item.firstActionDueAt().plus(held), item.resolutionDueAt().plus(held));
        }

        @Override
        public boolean departmentExists(String department) {
            return Set.of("transportation", "sanitation", "parks").contains(department);
        }
    });

    static WorkItem item(WorkStatus status) {
        return new WorkItem("311-00000042", "pothole", "transportation", status, 3, "service", ROUTED_AT, ROUTED_AT,
                null, List.of(), null, null, null, 0, null, FIRST_DUE, RESOLUTION_DUE, 0, null, null, null, null,
                "Deep pothole", null);
    }

    static WorkTransitions.Transition apply(WorkItem item, WorkTransitions.Action action) {
        return MACHINE.apply(item, action, NOW).orElseThrow();
    }

    static DomainException refusal(WorkItem item, WorkTransitions.Action action) {
        try {
            MACHINE.apply(item, action, NOW);
        }
        catch (DomainException refused) {
            return refused;
        }
        throw new AssertionError(action + " on a " + item.status() + " item was not refused");
    }

    @Test
    void shouldAcceptRoutedOrReopenedWorkForTheAgentAndMarkTheFirstActionOnce() {
        WorkTransitions.Transition accepted = apply(item(WorkStatus.ROUTED), new WorkTransitions.Accept("m.rivera"));

        assertThat(accepted.after().status()).isEqualTo(WorkStatus.IN_PROGRESS);
        assertThat(accepted.after().agent()).isEqualTo("m.rivera");
        assertThat(accepted.after().firstActionAt()).isEqualTo(NOW);
        assertThat(accepted.eventType()).isEqualTo(ActionEvents.RequestAccepted.TYPE);
        assertThat(accepted.eventData()).isEqualTo(new ActionEvents.RequestAccepted("311-00000042", "pothole",
                "transportation", "in_progress", "m.rivera", NOW, 4, FIRST_DUE));

        // accepted again after a reopen: the first action stays the first
        WorkItem reopened = withFirstAction(item(WorkStatus.REOPENED), ROUTED_AT.plusSeconds(60));
        assertThat(apply(reopened, new WorkTransitions.Accept("l.chen")).after().firstActionAt())
                .isEqualTo(ROUTED_AT.plusSeconds(60));
        assertThat(refusal(item(WorkStatus.IN_PROGRESS), new WorkTransitions.Accept("l.chen")).detail())
                .isEqualTo("Request 311-00000042 is in_progress and cannot be accepted now.");
    }

    @Test
    void shouldAssignOpenWorkWithAnInternalNoteAndChangeNothingForTheAgentWhoHasIt() {
        WorkTransitions.Transition assigned = apply(item(WorkStatus.ROUTED),
                new WorkTransitions.Assign("d.okafor", "transportation"));
        assertThat(assigned.after().agent()).isEqualTo("d.okafor");
        assertThat(assigned.after().status()).isEqualTo(WorkStatus.ROUTED);
        assertThat(assigned.eventData()).isEqualTo(new ActionEvents.RequestUpdated("311-00000042", "pothole",
                "transportation", "routed", "internal", "Assigned to d.okafor", NOW, 4));

        WorkItem hers = assigned.after();
        assertThat(MACHINE.apply(hers, new WorkTransitions.Assign("d.okafor", null), NOW)).isEmpty();
        assertThat(((ActionEvents.RequestUpdated) apply(hers, new WorkTransitions.Assign("l.chen", null))
                .eventData()).note()).isEqualTo("Reassigned from d.okafor to l.chen");
        assertThat(((ActionEvents.RequestUpdated) apply(hers, new WorkTransitions.Assign(null, null)).eventData())
                .note()).isEqualTo("Unassigned (was d.okafor)");

        assertThat(refusal(item(WorkStatus.ROUTED), new WorkTransitions.Assign("d.okafor", "sanitation")).detail())
                .isEqualTo("Request 311-00000042 has moved to transportation since; it is no longer in the queue of"
                        + " sanitation.");
        assertThat(refusal(item(WorkStatus.RESOLVED), new WorkTransitions.Assign("d.okafor", null)).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
    }

    @Test
    void shouldTakeANoteInAnyStatusButClosedKeepingTheStatus() {
        for (WorkStatus status : WorkStatus.values()) {
            WorkTransitions.Note note = new WorkTransitions.Note("public", "Crew booked for Thursday");
            if (status == WorkStatus.CLOSED) {
                assertThat(refusal(item(status), note).detail()).isEqualTo("Request 311-00000042 is closed.");
                continue;
            }
            WorkTransitions.Transition noted = apply(item(status), note);
            assertThat(noted.after().status()).isEqualTo(status);
            assertThat(noted.eventType()).isEqualTo(ActionEvents.RequestUpdated.TYPE);
        }
    }

    @Test
    void shouldHoldWorkableWorkAndResumeItWhereItWasWithTheClockPausedWhereTheStandardSaysSo() {
        WorkTransitions.Transition held = apply(item(WorkStatus.IN_PROGRESS),
                new WorkTransitions.Hold("Waiting for the gas company", "public"));
        assertThat(held.after().status()).isEqualTo(WorkStatus.ON_HOLD);
        assertThat(held.after().heldSince()).isEqualTo(NOW);
        assertThat(held.after().statusBeforeHold()).isEqualTo(WorkStatus.IN_PROGRESS);
        assertThat(((ActionEvents.RequestPutOnHold) held.eventData()).clockPaused()).isTrue();
        assertThat(refusal(held.after(), new WorkTransitions.Hold("again", "public")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);

        // resumed two days later: back in progress, due two days later, two days of paused clock
        Instant later = NOW.plus(Duration.ofDays(2));
        WorkTransitions.Transition resumed = MACHINE.apply(held.after(), new WorkTransitions.Resume(), later)
                .orElseThrow();
        assertThat(resumed.after().status()).isEqualTo(WorkStatus.IN_PROGRESS);
        assertThat(resumed.after().heldSince()).isNull();
        assertThat(resumed.after().statusBeforeHold()).isNull();
        assertThat(resumed.after().resolutionDueAt()).isEqualTo(RESOLUTION_DUE.plus(Duration.ofDays(2)));
        assertThat(resumed.after().pausedSeconds()).isEqualTo(Duration.ofDays(2).toSeconds());
        assertThat(resumed.eventData()).isEqualTo(new ActionEvents.RequestResumed("311-00000042", "pothole",
                "transportation", "in_progress", Duration.ofDays(2).toSeconds(), later, 5,
                RESOLUTION_DUE.plus(Duration.ofDays(2))));

        // a noise complaint's clock runs on through a hold
        WorkItem noise = withService(held.after(), "noise-street");
        assertThat(MACHINE.apply(noise, new WorkTransitions.Resume(), later).orElseThrow().after().pausedSeconds())
                .isZero();
        assertThat(refusal(item(WorkStatus.IN_PROGRESS), new WorkTransitions.Resume()).detail())
                .isEqualTo("Request 311-00000042 is in_progress and cannot be resumed now.");
    }

    @Test
    void shouldTransferWorkableWorkToAnotherDepartmentAsNewlyRoutedThereCountingTheHop() {
        WorkItem accepted = apply(item(WorkStatus.ROUTED), new WorkTransitions.Accept("m.rivera")).after();

        WorkTransitions.Transition moved = apply(accepted, new WorkTransitions.Transfer("sanitation",
                "Litter, not a pothole", TransferReason.WRONG_SERVICE_CHOSEN_AT_INTAKE, "internal", "l.chen"));

        assertThat(moved.after().department()).isEqualTo("sanitation");
        assertThat(moved.after().status()).isEqualTo(WorkStatus.ROUTED);
        assertThat(moved.after().transfers()).isEqualTo(1);
        assertThat(moved.after().routedAt()).isEqualTo(NOW);
        assertThat(moved.after().agent()).isEqualTo("l.chen");
        assertThat(moved.after().firstActionDueAt()).as("the resident's clock does not restart").isEqualTo(FIRST_DUE);
        assertThat(moved.eventData()).isEqualTo(new ActionEvents.RequestTransferred("311-00000042", "pothole",
                "transportation", "sanitation", "sanitation", "routed", "Litter, not a pothole",
                "wrong-service-chosen-at-intake", 1, NOW, 5, "l.chen", "internal"));
        // to a department that does not assign its work, nobody has it there
        assertThat(apply(accepted, new WorkTransitions.Transfer("parks", null, TransferReason.OTHER, "public", null))
                .after().agent()).isNull();

        DomainException unknown = refusal(accepted, new WorkTransitions.Transfer("fire", null, TransferReason.OTHER,
                "public", null));
        assertThat(unknown.kind()).isEqualTo(DomainException.Kind.INVALID);
        assertThat(unknown.field()).isEqualTo("toDepartment");
        assertThat(refusal(accepted, new WorkTransitions.Transfer("transportation", null, TransferReason.OTHER,
                "public", null)).detail()).isEqualTo("Request 311-00000042 is already with transportation.");
        assertThat(refusal(item(WorkStatus.ON_HOLD), new WorkTransitions.Transfer("parks", null, TransferReason.OTHER,
                "public", null)).kind()).isEqualTo(DomainException.Kind.CONFLICT);
    }

    @Test
    void shouldResolveOpenWorkCountingAHoldItEndsAndClearingTheCustomersWord() {
        WorkItem held = apply(item(WorkStatus.IN_PROGRESS), new WorkTransitions.Hold("parts", "public")).after();
        WorkItem flagged = held.withCustomerReportsFixed(new WorkItem.CustomerReport("FixMyStreet", NOW));
        Instant later = NOW.plus(Duration.ofHours(5));

        WorkTransitions.Transition resolved = MACHINE.apply(flagged, new WorkTransitions.Resolve("fixed", "Filled"),
                later).orElseThrow();

        assertThat(resolved.after().status()).isEqualTo(WorkStatus.RESOLVED);
        assertThat(resolved.after().resolution()).isEqualTo(new WorkItem.Resolution("fixed", "Filled", later, 5L));
        assertThat(resolved.after().pausedSeconds()).isEqualTo(Duration.ofHours(5).toSeconds());
        assertThat(resolved.after().firstActionAt()).as("resolved without accepting: its first action").isEqualTo(later);
        assertThat(resolved.after().heldSince()).isNull();
        assertThat(resolved.after().customerReportsFixed()).isNull();
        assertThat(resolved.eventData()).isEqualTo(new WorkEvents.RequestResolved("311-00000042", "pothole",
                "transportation", "fixed", "Filled", later, 5, later, FIRST_DUE, RESOLUTION_DUE,
                Duration.ofHours(5).toSeconds()));
        assertThat(refusal(resolved.after(), new WorkTransitions.Resolve("fixed", null)).detail())
                .isEqualTo("Request 311-00000042 is already resolved; reopen it first.");
    }

    @Test
    void shouldReopenOrCloseOnlyAResolutionTheFeedbackAnswers() {
        WorkItem resolved = apply(apply(item(WorkStatus.ROUTED), new WorkTransitions.Accept("m.rivera")).after(),
                new WorkTransitions.Resolve("fixed", null)).after();
        long resolution = resolved.resolution().sequence();

        WorkTransitions.Transition reopened = apply(resolved, new WorkTransitions.Reopen(resolution,
                "The customer says it is not resolved (survey)", "public"));
        assertThat(reopened.after().status()).isEqualTo(WorkStatus.REOPENED);
        assertThat(reopened.after().resolution()).isNull();
        assertThat(reopened.after().agent()).isNull();
        assertThat(reopened.eventType()).isEqualTo(ActionEvents.RequestReopened.TYPE);

        WorkTransitions.Transition closed = apply(resolved, new WorkTransitions.Close(resolution, "Confirmed"));
        assertThat(closed.after().status()).isEqualTo(WorkStatus.CLOSED);
        assertThat(closed.eventData()).isEqualTo(new ActionEvents.RequestClosed("311-00000042", "pothole",
                "transportation", "closed", "Confirmed", NOW, resolved.sequence() + 1));

        // feedback about an earlier resolution changes nothing
        assertThat(refusal(resolved, new WorkTransitions.Close(resolution - 1, "late")).detail())
                .isEqualTo("Request 311-00000042 was resolved again since (version " + resolution
                        + "); feedback about version " + (resolution - 1) + " does not apply.");
        assertThat(refusal(resolved, new WorkTransitions.Reopen(resolution - 1, "late", "public")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(refusal(item(WorkStatus.IN_PROGRESS), new WorkTransitions.Close(null, "x")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(refusal(item(WorkStatus.CLOSED), new WorkTransitions.Reopen(null, "x", "public")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
    }

    @Test
    void shouldFlagOpenWorkTheCustomerSaysIsFixedKeepingItsStatus() {
        WorkItem.CustomerReport report = new WorkItem.CustomerReport("FixMyStreet", NOW);

        WorkTransitions.Transition flagged = apply(item(WorkStatus.IN_PROGRESS),
                new WorkTransitions.FlagReportedFixed(report, "The customer says it is fixed"));

        assertThat(flagged.after().customerReportsFixed()).isEqualTo(report);
        assertThat(flagged.after().status()).isEqualTo(WorkStatus.IN_PROGRESS);
        assertThat(((ActionEvents.RequestUpdated) flagged.eventData()).visibility()).isEqualTo("internal");
        assertThat(refusal(item(WorkStatus.RESOLVED), new WorkTransitions.FlagReportedFixed(report, "x")).kind())
                .isEqualTo(DomainException.Kind.CONFLICT);
    }

    static Stream<Arguments> everyActionOnAnItemThatTakesIt() {
        WorkItem routed = item(WorkStatus.ROUTED);
        WorkItem held = routed.withStatus(WorkStatus.ON_HOLD).withHold(ROUTED_AT, WorkStatus.ROUTED);
        WorkItem resolved = routed.withStatus(WorkStatus.RESOLVED)
                .withResolution(new WorkItem.Resolution("fixed", null, ROUTED_AT, 3L));
        return Stream.of(Arguments.of(routed, new WorkTransitions.Accept("a")),
                Arguments.of(routed, new WorkTransitions.Assign("a", null)),
                Arguments.of(routed, new WorkTransitions.Note("public", "n")),
                Arguments.of(routed, new WorkTransitions.Hold("r", "public")),
                Arguments.of(held, new WorkTransitions.Resume()),
                Arguments.of(routed, new WorkTransitions.Transfer("parks", "r", TransferReason.OTHER, "public", null)),
                Arguments.of(routed, new WorkTransitions.Resolve("fixed", null)),
                Arguments.of(resolved, new WorkTransitions.Reopen(3L, "r", "public")),
                Arguments.of(resolved, new WorkTransitions.Close(3L, "r")),
                Arguments.of(routed, new WorkTransitions.FlagReportedFixed(new WorkItem.CustomerReport("c", NOW), "n")));
    }

    @ParameterizedTest
    @MethodSource("everyActionOnAnItemThatTakesIt")
    void shouldGiveEveryChangeTheNextVersionAtItsTime(WorkItem item, WorkTransitions.Action action) {
        Optional<WorkTransitions.Transition> transition = MACHINE.apply(item, action, NOW);

        assertThat(transition).hasValueSatisfying(made -> {
            assertThat(made.after().sequence()).isEqualTo(item.sequence() + 1);
            assertThat(made.after().updatedAt()).isEqualTo(NOW);
            assertThat(made.after().id()).isEqualTo(item.id());
            assertThat(made.after().outbox()).as("the service queues the event, not the machine").isEmpty();
        });
    }

    @Test
    void shouldRefuseAnythingOnADuplicateOnAChangedVersionAndOnAnEventAppliedAlready() {
        WorkItem duplicate = new WorkItem("311-00000043", "pothole", "transportation", WorkStatus.CLOSED, 2, "service",
                ROUTED_AT, ROUTED_AT, null, List.of(), null, null, null, 0, null, null, null, 0, "311-00000042",
                ROUTED_AT, null, List.of("event-7"), null, null);
        assertThat(refusal(duplicate, new WorkTransitions.Note("public", "n")).detail()).isEqualTo("Request "
                + "311-00000043 is a duplicate of 311-00000042, whose work it follows: work that one instead.");

        WorkItem routed = item(WorkStatus.ROUTED);
        assertThatThrownBy(() -> WorkTransitions.checkActable(routed, 2L, null))
                .isInstanceOfSatisfying(DomainException.class, stale -> {
                    assertThat(stale.kind()).isEqualTo(DomainException.Kind.STALE_VERSION);
                    assertThat(stale.detail()).startsWith("Request 311-00000042 is at version 3, not 2");
                });
        WorkItem applied = new WorkItem(routed.id(), "pothole", "transportation", WorkStatus.ROUTED, 3, "service",
                ROUTED_AT, ROUTED_AT, null, List.of(), null, null, null, 0, null, FIRST_DUE, RESOLUTION_DUE, 0, null,
                null, null, List.of("event-7"), null, null);
        assertThatThrownBy(() -> WorkTransitions.checkActable(applied, 3L, "event-7"))
                .isInstanceOfSatisfying(DomainException.class,
                        again -> assertThat(again.kind()).isEqualTo(DomainException.Kind.CONFLICT));
        WorkTransitions.checkActable(applied, 3L, "event-8");
    }

    private static WorkItem withFirstAction(WorkItem item, Instant at) {
        return item.withFirstActionAt(at);
    }

    private static WorkItem withService(WorkItem item, String serviceCode) {
        return new WorkItem(item.id(), serviceCode, item.department(), item.status(), item.sequence(), item.rule(),
                item.routedAt(), item.updatedAt(), item.resolution(), item.outbox(), item.agent(), item.heldSince(),
                item.statusBeforeHold(), item.transfers(), item.firstActionAt(), item.firstActionDueAt(),
                item.resolutionDueAt(), item.pausedSeconds(), item.duplicateOf(), item.linkedAt(),
                item.customerReportsFixed(), item.appliedEvents(), item.description(), item.location());
    }
}

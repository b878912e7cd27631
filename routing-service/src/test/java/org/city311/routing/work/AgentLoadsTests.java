package org.city311.routing.work;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentLoadsTests {

    @Test
    void shouldKeepAnyAgentsNameAsOneFieldNameAndReadItBack() {
        // given names a field name could not hold as they are: a path, an operator, a NUL, and the escape itself
        for (String agent : List.of("s.goldberg", "$where", "a\0b", "100%2E", "plain")) {
            // when kept as a key of the loads, then it is one plain field name that reads back as the agent
            String key = AgentLoads.key(agent);
            assertThat(key).doesNotContain(".", "$", "\0");
            assertThat(AgentLoads.agent(key)).isEqualTo(agent);
        }
    }

    @Test
    void shouldMoveTheLoadFromWhoLetsOpenWorkGoToWhoTakesItOn() {
        // given work routed to s.goldberg in Housing
        WorkItem routed = item("housing", WorkStatus.ROUTED, "s.goldberg");

        // then accepting it moves it to the one who accepts it; a hold moves nothing
        assertThat(AgentLoads.Moves.between(routed, item("housing", WorkStatus.IN_PROGRESS, "m.rivera")).of("housing"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("s.goldberg", -1L, "m.rivera", 1L));
        assertThat(AgentLoads.Moves.between(routed, item("housing", WorkStatus.ON_HOLD, "s.goldberg")).isEmpty())
                .isTrue();
        // a transfer moves it between departments; resolving, closing or an agent taken away ends it
        AgentLoads.Moves transfer = AgentLoads.Moves.between(routed, item("sanitation", WorkStatus.ROUTED, "l.chen"));
        assertThat(transfer.of("housing")).containsExactlyEntriesOf(Map.of("s.goldberg", -1L));
        assertThat(transfer.of("sanitation")).containsExactlyEntriesOf(Map.of("l.chen", 1L));
        assertThat(AgentLoads.Moves.between(routed, item("housing", WorkStatus.RESOLVED, "s.goldberg"))
                .of("housing")).containsExactlyEntriesOf(Map.of("s.goldberg", -1L));
        assertThat(AgentLoads.Moves.between(routed, item("housing", WorkStatus.ROUTED, null)).of("housing"))
                .containsExactlyEntriesOf(Map.of("s.goldberg", -1L));
        // and what is not open or has no agent moves nothing
        assertThat(AgentLoads.Moves.between(item("housing", WorkStatus.RESOLVED, "s.goldberg"),
                item("housing", WorkStatus.CLOSED, "s.goldberg")).isEmpty()).isTrue();
        assertThat(AgentLoads.Moves.between(item("housing", WorkStatus.RESOLVED, "s.goldberg"),
                item("housing", WorkStatus.REOPENED, null)).isEmpty()).isTrue();
        // taking moves back is the same moves the other way
        assertThat(transfer.undone().of("sanitation")).containsExactlyEntriesOf(Map.of("l.chen", -1L));
    }

    private static WorkItem item(String department, WorkStatus status, String agent) {
        Instant at = Instant.parse("2026-11-23T13:00:00Z");
        return new WorkItem("311-12345678", "heat-hot-water", department, status, 1, "service-owner", at, at, null,
                List.of(), agent, null, null, 0, null, null, null, 0, null, null, null, null, null, null);
    }
}

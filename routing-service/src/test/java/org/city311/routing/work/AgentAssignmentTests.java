package org.city311.routing.work;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentAssignmentTests {

    private static final List<String> AGENTS = List.of("d.okafor", "l.chen", "r.alvarez");

    @Test
    void shouldGiveEachAgentATurnInListOrderOverAndOver() {
        assertThat(LongStream.range(0, 7).mapToObj(turn -> AgentAssignment.roundRobin(AGENTS, turn)))
                .containsExactly("d.okafor", "l.chen", "r.alvarez", "d.okafor", "l.chen", "r.alvarez", "d.okafor");
    }

    @Test
    void shouldKeepTakingTurnsWhenTheAgentsChange() {
        // given a counter well past the length of a list that just lost an agent
        List<String> two = List.of("d.okafor", "l.chen");

        assertThat(AgentAssignment.roundRobin(two, 1_000_001)).isEqualTo("l.chen");
        assertThat(AgentAssignment.roundRobin(two, Long.MAX_VALUE)).isIn(two);
    }

    @Test
    void shouldPickTheAgentWithTheFewestOpenRequests() {
        assertThat(AgentAssignment.leastLoaded(AGENTS, List.of(4L, 2L, 3L))).isEqualTo("l.chen");
        assertThat(AgentAssignment.leastLoaded(AGENTS, List.of(4L, 3L, 0L))).isEqualTo("r.alvarez");
    }

    @Test
    void shouldBreakATieByTheOrderOfTheList() {
        assertThat(AgentAssignment.leastLoaded(AGENTS, List.of(0L, 0L, 0L))).isEqualTo("d.okafor");
        assertThat(AgentAssignment.leastLoaded(AGENTS, List.of(5L, 1L, 1L))).isEqualTo("l.chen");
    }

    @Test
    void shouldCountEachPieceOfABatchBeforeGivingTheNext() {
        // given loads 4, 2, 3: five new pieces at once even the loads out instead of all going to the least loaded
        assertThat(AgentAssignment.leastLoaded(AGENTS, List.of(4L, 2L, 3L), 5))
                .containsExactly("l.chen", "l.chen", "r.alvarez", "d.okafor", "l.chen");
    }
}

package org.city311.metrics.goal;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code GET /api/goals}: every goal's baseline, target, current value, progress and guard, computed at most the
 * scorecards' freshness ago (30 s). */
@RestController
class GoalController {

    private final Goals goals;

    GoalController(Goals goals) {
        this.goals = goals;
    }

    @GetMapping("/api/goals")
    Mono<List<Goals.GoalStatus>> all() {
        return goals.current();
    }
}

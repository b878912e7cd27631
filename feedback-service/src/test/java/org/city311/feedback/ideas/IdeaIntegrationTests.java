package org.city311.feedback.ideas;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.city311.platform.security.Role;
import org.city311.platform.test.InputMutator;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A staff idea from submission to done, its author following each step, on the real store. */
@ServiceIntegrationTest
class IdeaIntegrationTests {

    @Autowired
    WebTestClient web;

    @Test
    void shouldTakeAnIdeaFromSubmittedToDoneTellingItsAuthorEachStepAndCreditThem() {
        String author = TestTokens.ofTeam("ideas.caller-1", null, "call-centre", Role.STAFF);
        String supervisor = TestTokens.supervisor("parks");

        // when a call-taker submits an idea for parks
        Map<String, Object> idea = submit(author, "Ask for the tree's species", "Callers often know the species: "
                + "add it to the tree damage questions so crews bring the right gear.", "parks", "tree-damage");
        String id = (String) idea.get("id");
        assertThat(idea.get("status")).isEqualTo("submitted");

        // then parks' supervisors see it; another department's and an agent do not review it
        web.get().uri("/api/ideas?view=department").header(HttpHeaders.AUTHORIZATION, supervisor).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[?(@.id == '" + id + "')].authorName")
                .isEqualTo("ideas.caller-1");
        review(TestTokens.supervisor("sanitation"), id, "accepted", null).expectStatus().isForbidden();
        review(TestTokens.agent("parks"), id, "accepted", null).expectStatus().isForbidden();
        web.get().uri("/api/ideas?view=department&department=parks")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("sanitation")).exchange()
                .expectStatus().isForbidden();

        // and each step of the review is news to the author until they look
        review(supervisor, id, "under-review", "Checking with the crews").expectStatus().isOk();
        mine(author).jsonPath("$[?(@.id == '" + id + "')].status").isEqualTo("under-review")
                .jsonPath("$[?(@.id == '" + id + "')].news").isEqualTo(true)
                .jsonPath("$[?(@.id == '" + id + "')].steps[1].note").isEqualTo("Checking with the crews");
        web.post().uri("/api/ideas/seen").header(HttpHeaders.AUTHORIZATION, author).exchange()
                .expectStatus().isNoContent();
        mine(author).jsonPath("$[?(@.id == '" + id + "')].news").isEqualTo(false);
        review(supervisor, id, "accepted", "From next month").expectStatus().isOk().expectBody()
                .jsonPath("$.next").isEqualTo(List.of("done", "declined"));
        mine(author).jsonPath("$[?(@.id == '" + id + "')].news").isEqualTo(true);

        // and a step out of order, or with a stale version, changes nothing
        review(supervisor, id, "under-review", null).expectStatus().isEqualTo(409);
        web.post().uri("/api/ideas/{id}/review", id).header(HttpHeaders.AUTHORIZATION, supervisor)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "done", "version", 1)).exchange()
                .expectStatus().isEqualTo(409);
        review(supervisor, id, "done", "The question is live").expectStatus().isOk().expectBody()
                .jsonPath("$.steps.length()").isEqualTo(4)
                .jsonPath("$.steps[3].byName").isEqualTo("supervisor.parks");
        review(supervisor, id, "declined", "Too late").expectStatus().isEqualTo(409);
        web.get().uri("/api/ideas?view=department").header(HttpHeaders.AUTHORIZATION, supervisor).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[?(@.id == '" + id + "')].next[*]").isEmpty();

        // then it is listed with its author among the ideas put into practice, and counted for parks
        web.get().uri("/api/ideas?view=recognised").header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.id == '" + id + "')].authorName").isEqualTo("ideas.caller-1")
                .jsonPath("$[?(@.id == '" + id + "')].status").isEqualTo("done")
                // credited by name; nobody's id is shown
                .jsonPath("$[?(@.id == '" + id + "')].steps[0].by").isEmpty()
                .jsonPath("$[?(@.id == '" + id + "')].steps[0].byName").isEqualTo("ideas.caller-1");
        web.get().uri("/api/ideas/summary").header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS)).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.departments[?(@.department == 'parks')].actedOn").isEqualTo(1)
                .jsonPath("$.departments[?(@.department == 'parks')].done").isEqualTo(1);
    }

    @Test
    void shouldDeclineOnlyWithAReasonTheAuthorReadsAndNotListADeclinedIdea() {
        String author = TestTokens.ofTeam("ideas.caller-2", null, "call-centre", Role.STAFF);
        String supervisor = TestTokens.supervisor("sanitation");
        String id = (String) submit(author, "Collect on Sundays", "Add a Sunday pickup for the busiest avenues.",
                "sanitation", null).get("id");

        review(supervisor, id, "declined", "  ").expectStatus().isEqualTo(409);
        review(supervisor, id, "declined", "No crews on Sundays under the contract").expectStatus().isOk();

        mine(author).jsonPath("$[?(@.id == '" + id + "')].status").isEqualTo("declined")
                .jsonPath("$[?(@.id == '" + id + "')].steps[1].note").isEqualTo("No crews on Sundays under the contract");
        web.get().uri("/api/ideas?view=recognised").header(HttpHeaders.AUTHORIZATION, author).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[?(@.id == '" + id + "')]").isEmpty();
        // and nobody else reads it as theirs
        mine(TestTokens.ofTeam("ideas.caller-3", null, "call-centre", Role.STAFF))
                .jsonPath("$[?(@.id == '" + id + "')]").isEmpty();
    }

    @Test
    void shouldRefuseIncompleteIdeasFieldByFieldAndNeverAnswer5xxToMangledOnes() {
        String author = TestTokens.ofTeam("ideas.caller-fuzz", null, "call-centre", Role.STAFF);
        web.post().uri("/api/ideas").header(HttpHeaders.AUTHORIZATION, author).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "x", "department", "Parks Dept")).exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[?(@.field == 'title')]").exists()
                .jsonPath("$.errors[?(@.field == 'change')]").exists()
                .jsonPath("$.errors[?(@.field == 'department')]").exists();

        Random random = new Random(Long.getLong("city311.fuzz.seed", 20261206L));
        InputMutator mutator = new InputMutator(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int created = 0;
        for (int round = 0; round < 200; round++) {
            byte[] body = mutator.mutateJson("{\"title\": \"Fewer forms\", \"change\": \"One form for both permits, "
                    + "please\", \"department\": \"buildings\", \"serviceCode\": \"building-permit\"}");
            int status = web.post().uri("/api/ideas").header(HttpHeaders.AUTHORIZATION, author)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().returnResult(byte[].class)
                    .getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            created += status == 201 ? 1 : 0;
            if (status >= 500) {
                serverErrors.add(status + " <- " + new String(body, StandardCharsets.UTF_8));
            }
        }
        System.out.printf("ideas fuzz statuses %s%n", statuses);
        assertThat(serverErrors).isEmpty();
        assertThat(statuses.keySet()).contains(400);
        // every 201 is one idea, no more
        int expected = created;
        web.get().uri("/api/ideas").header(HttpHeaders.AUTHORIZATION, author).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(expected);
    }

    private Map<String, Object> submit(String token, String title, String change, String department,
            String serviceCode) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("title", title, "change", change, "department",
                department));
        if (serviceCode != null) {
            body.put("serviceCode", serviceCode);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> idea = web.post().uri("/api/ideas").header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return idea;
    }

    private WebTestClient.ResponseSpec review(String token, String id, String status, String note) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("status", status));
        if (note != null) {
            body.put("note", note);
        }
        return web.post().uri("/api/ideas/{id}/review", id).header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.BodyContentSpec mine(String token) {
        return web.get().uri("/api/ideas?view=mine").header(HttpHeaders.AUTHORIZATION, token).exchange()
                .expectStatus().isOk().expectBody();
    }
}

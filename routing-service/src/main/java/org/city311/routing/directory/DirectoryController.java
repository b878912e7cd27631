package org.city311.routing.directory;

import java.util.ArrayList;
import java.util.List;

import org.city311.platform.web.Problems;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The staff directory: which service, and which department, a resident's words are about. */
@RestController
class DirectoryController {

    static final int MAX_QUERY_LENGTH = 100;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;

    private final DirectorySearch search;

    DirectoryController(DirectorySearch search) {
        this.search = search;
    }

    /** {@code GET /api/directory?q=no heat&limit=10}: the best matches first. */
    @GetMapping("/api/directory")
    List<DirectoryEntry> search(@RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit) {
        List<Problems.FieldProblem> errors = new ArrayList<>();
        if (q == null || q.isBlank()) {
            errors.add(new Problems.FieldProblem("q", "Give the words to search for, such as 'no heat'."));
        }
        else if (q.length() > MAX_QUERY_LENGTH) {
            errors.add(new Problems.FieldProblem("q", "Use at most " + MAX_QUERY_LENGTH + " characters."));
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            errors.add(new Problems.FieldProblem("limit", "Use a limit from 1 to " + MAX_LIMIT + "."));
        }
        if (!errors.isEmpty()) {
            throw Problems.badRequest(errors);
        }
        return search.search(q, limit == null ? DEFAULT_LIMIT : limit);
    }
}

package org.city311.feedback.survey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.city311.feedback.requests.KnownRequest;
import org.city311.feedback.requests.RequestChange;
import org.city311.feedback.requests.RequestMovedOn;
import org.city311.feedback.requests.RequestResolved;

/**
 * What a batch of request changes does to invitations and survey windows, worked out in memory, each request's
 * changes in order, as {@link SurveyInvitations} did them one at a time (see there for the rules):
 * <ul>
 * <li>a request's invitation is known from the store (read beforehand, by id, for the requests resolved before) or,
 * for a first resolution, taken to be absent: its insert then tells (refused if it is there: a redelivery);</li>
 * <li>per invitation, one write: the insert of a new one as the batch leaves it (a reopened request resolved again
 * within the batch asks about its newest resolution), or one guarded update of a stored one that follows a newer
 * resolution;</li>
 * <li>per window, the request's last change decides: a resolution's window opened (over an older one), or the window
 * of an older resolution ended; what the changes before it did to the window, the last one undoes or does again;</li>
 * <li>a request whose invitation policy needs the list of its invitations (a department that surveys again after a
 * reopen, the first invitation closed) is left to be done one change at a time, with the store ({@link #slow}).</li>
 * </ul>
 */
final class InvitationPlan {

    /** What happens to a request's window. */
    sealed interface WindowChange permits OpenWindow, EndWindow {
        String requestId();
    }

    /** The window of this resolution, opened over an older one's (or none). */
    record OpenWindow(String requestId, String department, String serviceCode, long resolutionSequence,
            Instant openedAt, Instant endsAt, String surveyId) implements WindowChange {
    }

    /** The window of a resolution older than {@code sequence} ended (removed, or marked moved on). */
    record EndWindow(String requestId, long sequence) implements WindowChange {
    }

    /** A stored, unanswered invitation now asks about a newer resolution. */
    record Follow(String surveyId, String requestId, long resolutionSequence, String department, Instant expiresAt) {
    }

    /**
     * @param inserts new invitations
     * @param follows stored invitations that ask about a newer resolution
     * @param windows the change of each request's window, by request
     * @param slow requests to be done one change at a time
     */
    record Plan(List<Survey> inserts, List<Follow> follows, Map<String, WindowChange> windows, Set<String> slow) {
    }

    private final Sampling sampling;
    private final boolean resendAfterReopen;
    private final Duration window;

    InvitationPlan(Sampling sampling, boolean resendAfterReopen, Duration window) {
        this.sampling = sampling;
        this.resendAfterReopen = resendAfterReopen;
        this.window = window;
    }

    /** The changes grouped by request, each request's in order. */
    static Map<String, List<RequestChange>> byRequest(List<RequestChange> changes) {
        Map<String, List<RequestChange>> chains = new LinkedHashMap<>();
        changes.forEach(change -> chains.computeIfAbsent(change.requestId(), id -> new ArrayList<>()).add(change));
        return chains;
    }

    /**
     * The requests whose stored invitation must be read to plan: those whose first surveyed resolution here was
     * preceded by another (a first resolution's invitation is simply made).
     */
    Set<String> toRead(Map<String, List<RequestChange>> chains) {
        Set<String> ids = new LinkedHashSet<>();
        chains.forEach((id, chain) -> chain.stream().filter(RequestResolved.class::isInstance)
                .map(RequestResolved.class::cast).filter(this::sampled).findFirst()
                .filter(first -> !first.neverResolvedBefore()).ifPresent(first -> ids.add(id)));
        return ids;
    }

    /**
     * Plans the changes of these requests.
     *
     * @param stored the invitation stored for each request read (empty: none); a request not read is taken to have
     *        none if its first surveyed resolution here is its first
     */
    Plan plan(Map<String, List<RequestChange>> chains, Map<String, Optional<Survey>> stored, Instant now) {
        List<Survey> inserts = new ArrayList<>();
        List<Follow> follows = new ArrayList<>();
        Map<String, WindowChange> windows = new LinkedHashMap<>();
        Set<String> slow = new LinkedHashSet<>();
        chains.forEach((id, chain) -> {
            Survey current = null;
            boolean known = false;
            boolean inserting = false;
            boolean following = false;
            WindowChange last = null;
            for (RequestChange change : chain) {
                if (change instanceof RequestMovedOn movedOn) {
                    last = new EndWindow(id, movedOn.sequence());
                    continue;
                }
                RequestResolved resolved = (RequestResolved) change;
                Instant expiresAt = now.plus(window);
                Survey asks = null;
                if (sampled(resolved)) {
                    if (!known) {
                        Optional<Survey> read = stored.get(id);
                        if (read == null && !resolved.neverResolvedBefore()) {
                            slow.add(id);
                            break;
                        }
                        current = read == null ? null : read.orElse(null);
                        known = true;
                    }
                    if (current == null) {
                        current = invitation(id, resolved, now, expiresAt);
                        inserting = true;
                        asks = current;
                    }
                    else if (current.resolutionSequence() == resolved.sequence()) {
                        asks = current;
                    }
                    else if (current.open()) {
                        if (current.resolutionSequence() < resolved.sequence()) {
                            current = current.askingAbout(resolved.sequence(), resolved.department(), expiresAt);
                            following = !inserting;
                            asks = current;
                        }
                    }
                    else if (resendAfterReopen) {
                        slow.add(id);
                        break;
                    }
                }
                last = new OpenWindow(id, resolved.department(), resolved.serviceCode(), resolved.sequence(), now,
                        asks != null ? asks.expiresAt() : expiresAt, asks != null ? asks.id() : null);
            }
            if (slow.contains(id)) {
                return;
            }
            if (inserting) {
                inserts.add(current);
            }
            else if (following) {
                follows.add(new Follow(current.id(), id, current.resolutionSequence(), current.department(),
                        current.expiresAt()));
            }
            if (last != null) {
                windows.put(id, last);
            }
        });
        return new Plan(inserts, follows, windows, slow);
    }

    private boolean sampled(RequestResolved resolved) {
        return sampling.sampled(resolved.serviceCode(), resolved.requestId());
    }

    /** A new invitation for this resolution, its id the request's. */
    static Survey invitation(String id, RequestResolved resolved, Instant now, Instant expiresAt) {
        // who asked, as known before the resolution (the resolution does not change it)
        KnownRequest request = resolved.before();
        boolean internal = request != null && "internal".equals(request.segment());
        // until an e-mail goes out, the way to reach a resident is a phone call by staff; the link's secret is
        // issued when the invitation is delivered (this one is held by nobody: it keeps the unique index whole)
        return new Survey(id, resolved.requestId(), SurveyTokens.hash(SurveyTokens.generate()),
                Survey.PENDING_DELIVERY, internal ? Survey.INTERNAL : Survey.PHONE, resolved.department(),
                resolved.serviceCode(), resolved.sequence(), now, expiresAt, 0, null, null, null, null, null,
                Survey.Requester.of(request));
    }
}

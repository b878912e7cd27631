package org.city311.request.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * The live streams open on this instance, per caller: at most {@link LiveProperties#maxStreamsPerUser()} each;
 * opening one more closes that caller's oldest. Forgotten, or an old tab's, streams cannot pile up polls.
 */
@Component
class OpenStreams {

    private final int maxPerCaller;
    private final Map<String, Deque<Handle>> byCaller = new HashMap<>();

    OpenStreams(LiveProperties properties) {
        this.maxPerCaller = properties.maxStreamsPerUser();
    }

    /** Registers a stream of {@code callerId}'s; close the handle when the stream ends, however it ends. */
    Handle open(String callerId) {
        Handle opened = new Handle(callerId);
        Handle displaced = null;
        synchronized (byCaller) {
            Deque<Handle> open = byCaller.computeIfAbsent(callerId, id -> new ArrayDeque<>());
            open.addLast(opened);
            if (open.size() > maxPerCaller) {
                displaced = open.removeFirst();
            }
        }
        if (displaced != null) {
            displaced.end("a newer stream of yours replaced this one (at most " + maxPerCaller + " at once)");
        }
        return opened;
    }

    /** How many streams {@code callerId} holds open here. */
    int openBy(String callerId) {
        synchronized (byCaller) {
            Deque<Handle> open = byCaller.get(callerId);
            return open == null ? 0 : open.size();
        }
    }

    private void forget(Handle handle) {
        synchronized (byCaller) {
            Deque<Handle> open = byCaller.get(handle.callerId);
            if (open != null && open.remove(handle) && open.isEmpty()) {
                byCaller.remove(handle.callerId);
            }
        }
    }

    /** One open stream: ending it (with the reason the client is told) completes the stream. */
    final class Handle {

        private final String callerId;
        private final Sinks.One<String> ended = Sinks.one();

        private Handle(String callerId) {
            this.callerId = callerId;
        }

        void end(String reason) {
            ended.tryEmitValue(reason);
        }

        /** Emits the reason once the stream is to end. */
        Mono<String> ended() {
            return ended.asMono();
        }

        void close() {
            forget(this);
        }
    }
}

package org.city311.platform.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Token buckets by key (a client address, a survey token), in memory: each key may spend {@code capacity} requests
 * at once and earns them back evenly over {@code period}. Per instance: behind a load balancer with n instances a
 * client may get up to n times as much.
 * <p>
 * The number of keys remembered is bounded without ever letting a throttled key off: when the bound is reached,
 * idle (full) buckets are forgotten first, then those with the most credit left, never one that has too little
 * credit for its next request. While every key remembered is throttled, new keys share one bucket of their own.
 * <p>
 * Exact integer arithmetic: a request costs {@code period} (in nanoseconds) of credit, and a bucket earns
 * {@code capacity} of credit per nanosecond, up to {@code capacity} requests' worth.
 * <p>
 * Keys by client address come from {@link #clientAddress}: the request's remote address, which
 * {@link ClientAddressFilter} has set to the client's (a header is believed only from a trusted proxy).
 */
public final class RateLimiter {

    private final long capacity;
    private final long cost;
    private final long full;
    private final int maxTracked;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** Shared by new keys while every key remembered is throttled. */
    private final Bucket newcomers;
    private final Object evicting = new Object();
    /** While every key remembered is throttled, room is not looked for again before this ({@code nanoTime}). */
    private volatile long noRoomUntil;
    private volatile boolean noRoom;

    public RateLimiter(int capacity, Duration period, int maxTracked, LongSupplier nanoTime) {
        if (capacity < 1 || period.isZero() || period.isNegative() || maxTracked < 1) {
            throw new IllegalArgumentException("a rate limit needs a capacity of at least 1, a positive period and "
                    + "room for at least one key");
        }
        this.capacity = capacity;
        this.cost = period.toNanos();
        this.full = Math.multiplyExact(cost, (long) capacity);
        this.maxTracked = maxTracked;
        this.nanoTime = nanoTime;
        this.newcomers = new Bucket(full, nanoTime.getAsLong());
    }

    /** Whether the key may make one more request now; when not, how many seconds until it may. */
    public Decision tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxTracked) {
                makeRoom(now);
            }
            bucket = buckets.size() < maxTracked ? buckets.computeIfAbsent(key, k -> new Bucket(full, now))
                    : newcomers;
        }
        synchronized (bucket) {
            bucket.refill(now);
            if (bucket.credit >= cost) {
                bucket.credit -= cost;
                return Decision.ALLOWED;
            }
            long nanosToWait = ceilDiv(cost - bucket.credit, capacity);
            return new Decision(false, Math.max(1, ceilDiv(nanosToWait, 1_000_000_000L)));
        }
    }

    public int tracked() {
        return buckets.size();
    }

    /**
     * Forgets keys down to 90 % of the bound: full buckets (nothing to remember), then those with the most credit
     * left. A throttled key (too little credit for its next request) is kept: forgetting it would give it a full
     * bucket. When only throttled keys are left, the next look is one request's earning time later (the soonest
     * any of them can have its next request), so that a flood of new keys does not scan the table on every call.
     */
    private void makeRoom(long now) {
        synchronized (evicting) {
            if (buckets.size() < maxTracked || noRoom && now - noRoomUntil < 0) {
                return;
            }
            int target = Math.max(0, maxTracked * 9 / 10);
            List<Candidate> spent = new ArrayList<>();
            for (Map.Entry<String, Bucket> entry : buckets.entrySet()) {
                Bucket bucket = entry.getValue();
                synchronized (bucket) {
                    bucket.refill(now);
                    if (bucket.credit >= full) {
                        buckets.remove(entry.getKey(), bucket);
                    }
                    else if (bucket.credit >= cost) {
                        spent.add(new Candidate(entry.getKey(), bucket, bucket.credit));
                    }
                }
            }
            spent.sort(Comparator.comparingLong(Candidate::credit).reversed());
            for (Candidate candidate : spent) {
                if (buckets.size() <= target) {
                    break;
                }
                synchronized (candidate.bucket()) {
                    candidate.bucket().refill(now);
                    if (candidate.bucket().credit >= cost) {
                        buckets.remove(candidate.key(), candidate.bucket());
                    }
                }
            }
            noRoom = buckets.size() >= maxTracked;
            noRoomUntil = now + ceilDiv(cost, capacity);
        }
    }

    /**
     * The key for a request's client: its remote address, which {@link ClientAddressFilter} has made the client's.
     * An IPv6 client counts by its /64, the block one subscriber is given: rotating addresses within it does not
     * earn it a new bucket.
     */
    public static String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        InetAddress address = remote.getAddress();
        if (address == null) {
            return remote.getHostString();
        }
        if (address instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(address.getAddress(), 8), 16))
                        .getHostAddress() + "/64";
            }
            catch (UnknownHostException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return address.getHostAddress();
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    public record Decision(boolean allowed, long retryAfterSeconds) {

        public static final Decision ALLOWED = new Decision(true, 0);
    }

    private record Candidate(String key, Bucket bucket, long credit) {
    }

    private final class Bucket {

        long credit;
        long refilledAt;

        Bucket(long credit, long now) {
            this.credit = credit;
            this.refilledAt = now;
        }

        void refill(long now) {
            // at most a full period counts: a bucket is full after one, and the product cannot overflow
            long elapsed = Math.min(Math.max(0, now - refilledAt), cost);
            credit = Math.min(full, credit + elapsed * capacity);
            refilledAt = now;
        }
    }
}

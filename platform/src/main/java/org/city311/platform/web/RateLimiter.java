package org.city311.platform.web;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Token buckets by key (a client address, a survey token), in memory: each key may spend {@code capacity} requests
 * at once and earns them back evenly over {@code period}. Per instance: behind a load balancer with n instances a
 * client may get up to n times as much. The number of keys remembered is bounded; idle (full) buckets go first.
 * <p>
 * Exact integer arithmetic: a request costs {@code period} (in nanoseconds) of credit, and a bucket earns
 * {@code capacity} of credit per nanosecond, up to {@code capacity} requests' worth.
 * <p>
 * Keys by client address come from {@link #clientAddress}: {@code X-Forwarded-For}'s first hop when a proxy set it
 * (the ingress must overwrite what clients send), else the connection's address.
 */
public final class RateLimiter {

    private final long capacity;
    private final long cost;
    private final long full;
    private final int maxTracked;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, Duration period, int maxTracked, LongSupplier nanoTime) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a capacity of at least 1 and a positive period");
        }
        this.capacity = capacity;
        this.cost = period.toNanos();
        this.full = Math.multiplyExact(cost, (long) capacity);
        this.maxTracked = maxTracked;
        this.nanoTime = nanoTime;
    }

    /** Whether the key may make one more request now; when not, how many seconds until it may. */
    public Decision tryAcquire(String key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= maxTracked && !buckets.containsKey(key)) {
            forgetIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(full, now));
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

    /** Forgets full buckets (nothing to remember); under a flood of new keys, any, down to 90 % of the bound. */
    private void forgetIdle(long now) {
        buckets.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                entry.getValue().refill(now);
                return entry.getValue().credit >= full;
            }
        });
        Iterator<String> keys = buckets.keySet().iterator();
        while (buckets.size() > maxTracked * 9 / 10 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    /** The client's address: the first hop of {@code X-Forwarded-For} when set, else the connection's. */
    public static String clientAddress(ServerHttpRequest request) {
        String forwarded = request.getHeaders().getFirst("X-Forwarded-For");
        if (forwarded != null) {
            String firstHop = forwarded.split(",", 2)[0].strip();
            if (!firstHop.isEmpty()) {
                return firstHop.length() <= 64 ? firstHop : firstHop.substring(0, 64);
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    public record Decision(boolean allowed, long retryAfterSeconds) {

        public static final Decision ALLOWED = new Decision(true, 0);
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

package org.city311.platform.web;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTests {

    private final AtomicLong now = new AtomicLong();

    @Test
    void shouldRefuseTheSixthSubmissionInAMinuteWithTheSecondsToWait() {
        RateLimiter perToken = new RateLimiter(5, Duration.ofMinutes(1), 1000, now::get);

        for (int i = 0; i < 5; i++) {
            assertThat(perToken.tryAcquire("token").allowed()).isTrue();
        }
        RateLimiter.Decision sixth = perToken.tryAcquire("token");

        assertThat(sixth.allowed()).isFalse();
        assertThat(sixth.retryAfterSeconds()).isEqualTo(12); // one submission earned back every 12 s
    }

    @Test
    void shouldEarnSubmissionsBackOverThePeriod() {
        RateLimiter perToken = new RateLimiter(5, Duration.ofMinutes(1), 1000, now::get);
        for (int i = 0; i < 5; i++) {
            perToken.tryAcquire("token");
        }

        now.addAndGet(Duration.ofSeconds(12).toNanos());

        assertThat(perToken.tryAcquire("token").allowed()).isTrue();
        assertThat(perToken.tryAcquire("token").allowed()).isFalse();
    }

    @Test
    void shouldCountEachKeyApart() {
        RateLimiter perAddress = new RateLimiter(2, Duration.ofMinutes(1), 1000, now::get);
        perAddress.tryAcquire("203.0.113.7");
        perAddress.tryAcquire("203.0.113.7");

        assertThat(perAddress.tryAcquire("203.0.113.7").allowed()).isFalse();
        assertThat(perAddress.tryAcquire("198.51.100.23").allowed()).isTrue();
    }

    @Test
    void shouldRememberABoundedNumberOfKeysUnderAFloodOfNewOnes() {
        RateLimiter perAddress = new RateLimiter(60, Duration.ofMinutes(1), 100, now::get);

        for (int i = 0; i < 10_000; i++) {
            perAddress.tryAcquire("10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(perAddress.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void shouldNeverForgetAThrottledKeyUnderAFloodOfNewOnes() {
        // given half the keys remembered are throttled
        RateLimiter perAddress = new RateLimiter(60, Duration.ofMinutes(1), 100, now::get);
        List<String> throttled = IntStream.range(0, 50).mapToObj(i -> "203.0.113." + i).toList();
        for (String key : throttled) {
            for (int i = 0; i < 60; i++) {
                perAddress.tryAcquire(key);
            }
            assertThat(perAddress.tryAcquire(key).allowed()).isFalse();
        }

        // when a flood of new keys comes in, each spending one call, far more than are remembered
        for (int i = 0; i < 10_000; i++) {
            perAddress.tryAcquire("10.1." + (i / 256) + "." + (i % 256));
        }

        // then every throttled key is still refused, and the table is still bounded
        assertThat(throttled).allSatisfy(key -> assertThat(perAddress.tryAcquire(key).allowed()).as(key).isFalse());
        assertThat(perAddress.tracked()).isLessThanOrEqualTo(100);
    }

    @Test
    void shouldLetNewKeysShareOneBucketWhileEveryKeyRememberedIsThrottled() {
        // given the table holds only throttled keys
        RateLimiter perAddress = new RateLimiter(5, Duration.ofMinutes(1), 10, now::get);
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 6; i++) {
                perAddress.tryAcquire("203.0.113." + k);
            }
        }

        // when new keys come: together they get one key's calls
        long served = IntStream.range(0, 100).filter(i -> perAddress.tryAcquire("198.51.100." + i).allowed())
                .count();

        // then the throttled stay throttled and remembered
        assertThat(served).isEqualTo(5);
        assertThat(perAddress.tracked()).isEqualTo(10);
        assertThat(perAddress.tryAcquire("203.0.113.3").allowed()).isFalse();

        // and once the throttled earn their calls back, new keys get buckets of their own again
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(perAddress.tryAcquire("198.51.100.200").allowed()).isTrue();
        assertThat(perAddress.tryAcquire("198.51.100.200").allowed()).isTrue();
        assertThat(perAddress.tracked()).isLessThanOrEqualTo(10);
    }

    @Test
    void shouldKeyByTheRemoteAddressNeverByAHeaderAndIpv6ByItsSlash64() {
        MockServerHttpRequest forged = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("203.0.113.9", 40_000))
                .header("X-Forwarded-For", "198.51.100.1").header("Forwarded", "for=198.51.100.2").build();
        MockServerHttpRequest ipv6 = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 40_000)).build();
        MockServerHttpRequest sameSubscriber = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress("2001:db8:1:2::7", 40_000)).build();

        assertThat(RateLimiter.clientAddress(forged)).isEqualTo("203.0.113.9");
        assertThat(RateLimiter.clientAddress(ipv6)).isEqualTo(RateLimiter.clientAddress(sameSubscriber))
                .startsWith("2001:db8:1:2:").endsWith("/64");
    }
}

package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void defaultsMatchTheDocumentedAdvice() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertEquals(5, policy.maxAttempts());
        assertEquals(Duration.ofSeconds(1), policy.baseDelay());
        assertEquals(Duration.ofSeconds(30), policy.maxBackoff());
        assertEquals(Duration.ofSeconds(120), policy.maxWait());
        assertEquals(0.25, policy.jitter());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy exact = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(120), 0);
        List<Long> seconds = IntStream.rangeClosed(1, 8).mapToObj(n -> exact.backoff(n, 0.7).toSeconds()).toList();
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
        assertEquals(Duration.ofSeconds(30), exact.backoff(1_000, 0.5), "no overflow for absurd retry counts");
    }

    @Test
    void jitterOnlyShortensWithinItsFraction() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertEquals(Duration.ofSeconds(4), policy.backoff(3, 0.0));
        assertEquals(Duration.ofMillis(3000), policy.backoff(3, 1.0));
        for (double r = 0; r < 1; r += 0.05) {
            Duration d = policy.backoff(3, r);
            assertTrue(d.compareTo(Duration.ofMillis(3000)) >= 0 && d.compareTo(Duration.ofSeconds(4)) <= 0, d::toString);
        }
    }

    @Test
    void anyWaitIsCappedAndNeverNegative() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(60), 0);
        assertEquals(Duration.ofSeconds(60), policy.backoff(4, 0));
        assertEquals(Duration.ofSeconds(60), policy.capWait(Duration.ofHours(1)));
        assertEquals(Duration.ZERO, policy.capWait(Duration.ofSeconds(-5)));
        assertEquals(Duration.ofSeconds(5), policy.capWait(Duration.ofSeconds(5)));
    }

    @Test
    void invalidPoliciesAndSettingsAreRejected() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, s, s, s, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, s.negated(), s, s, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, s, s, s, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, s, s, s, Double.NaN));
        assertThrows(NullPointerException.class, () -> new RetryPolicy(1, null, s, s, 0));
        ClientSettings defaults = ClientSettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withPageSizes(0, 500, 1000));
        assertThrows(IllegalArgumentException.class, () -> defaults.withUserAgent("evil\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> defaults.withTimeouts(s, s.negated(), s));
    }

    @Test
    void settingsDefaults() {
        ClientSettings defaults = ClientSettings.defaults();
        assertEquals(500, defaults.dailyUsagePageSize());
        assertEquals(500, defaults.spendPageSize());
        assertEquals(1000, defaults.eventsPageSize());
        assertEquals(Duration.ofSeconds(10), defaults.connectTimeout());
        assertEquals(Duration.ofSeconds(60), defaults.readTimeout());
        assertEquals(Duration.ofMinutes(2), defaults.callTimeout());
        assertEquals("cursor-exporter/dev", defaults.userAgent());
    }
}

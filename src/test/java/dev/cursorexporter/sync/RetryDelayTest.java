package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The back-off of a failed poll: 30 s doubling, capped at the source's interval, never below Retry-After. */
class RetryDelayTest {

    @ParameterizedTest(name = "failure {0}, interval {1} s, Retry-After {2} s -> {3} s")
    @CsvSource({
            "1, 3600, -1, 30",
            "2, 3600, -1, 60",
            "3, 3600, -1, 120",
            "7, 3600, -1, 1920",
            "8, 3600, -1, 3600",
            "40, 3600, -1, 3600",
            "1, 60, -1, 30",
            "2, 60, -1, 60",
            "5, 60, -1, 60",
            "1, 3600, 90, 90",
            "3, 3600, 90, 120",
            "1, 900, 7200, 7200",
    })
    void backoff(int failures, long intervalSeconds, long retryAfterSeconds, long expectedSeconds) {
        RuntimeException failure = retryAfterSeconds < 0 ? new IllegalStateException("boom")
                : new CursorApiException("/teams/spend", 429, "POST /teams/spend: HTTP 429", null,
                Duration.ofSeconds(retryAfterSeconds));
        assertEquals(Duration.ofSeconds(expectedSeconds),
                AccountSync.retryDelay(failures, Duration.ofSeconds(intervalSeconds), failure));
    }
}

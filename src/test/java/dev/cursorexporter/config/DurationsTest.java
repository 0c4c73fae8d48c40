package dev.cursorexporter.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"30s, PT30S, 30s", "15m, PT15M, 15m", "1h, PT1H, 1h", "1h30m, PT1H30M, 1h30m", "1d, PT24H, 1d",
            "2d3h4m5s, PT51H4M5S, 2d3h4m5s", "90m, PT1H30M, 1h30m", "' 1H ', PT1H, 1h", "0s, PT0S, 0s"})
    void parsesAndFormats(String text, Duration expected, String canonical) {
        assertEquals(Optional.of(expected), Durations.parse(text));
        assertEquals(canonical, Durations.format(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "60", "often", "1h 30m", "30m1h", "1w", "-5m", "1.5h", "1234567m", "PT1H"})
    void rejects(String text) {
        assertEquals(Optional.empty(), Durations.parse(text));
    }
}

package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** HELP texts name the configured poll interval of the source a figure comes from, in words. */
class FreshnessTest {

    @Test
    void intervalsInWords() {
        assertEquals("daily", Freshness.words(Duration.ofDays(1)));
        assertEquals("every 2 days", Freshness.words(Duration.ofDays(2)));
        assertEquals("hourly", Freshness.words(Duration.ofHours(1)));
        assertEquals("every 6 hours", Freshness.words(Duration.ofHours(6)));
        assertEquals("every 90 minutes", Freshness.words(Duration.ofMinutes(90)));
        assertEquals("every 15 minutes", Freshness.words(Duration.ofMinutes(15)));
        assertEquals("every minute", Freshness.words(Duration.ofMinutes(1)));
        assertEquals("every 45 seconds", Freshness.words(Duration.ofSeconds(45)));
    }

    @Test
    void aConfiguredIntervalWinsAndTheOthersKeepTheirDefaults() {
        Freshness f = new Freshness(Map.of(Source.USAGE_EVENTS, Duration.ofMinutes(5)));
        assertEquals("refreshed after each usage_events poll (every 5 minutes)", f.afterPoll(Source.USAGE_EVENTS));
        assertEquals("refreshed after each spend poll (every 15 minutes)", f.afterPoll(Source.SPEND));
        assertEquals("members poll (hourly)", f.poll(Source.MEMBERS));
        assertEquals("hourly", Freshness.defaults().every(Source.USAGE_EVENTS));
    }
}

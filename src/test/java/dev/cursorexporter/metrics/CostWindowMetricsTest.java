package dev.cursorexporter.metrics;

import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.cursorexporter.metrics.MetricsFixture.ANA;
import static dev.cursorexporter.metrics.MetricsFixture.at;
import static dev.cursorexporter.metrics.MetricsFixture.charged;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CostWindowMetricsTest {
    @TempDir
    Path dir;

    @Test
    void costByEventDayOverCompleteDaysEndingYesterdayAndTheBaselineBeforeIt() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            MetricsFixture.usage(store);
            MetricsFixture.sourceStates(store);
            // Held: 02-16 .. 03-15 stored for good, 03-16 .. today read by today's poll. 1d = 03-17, 7d = 03-11 ..
            // 03-17, 28d = 02-18 .. 03-17; baseline 02-17 .. 03-16, all 28 days held.
            // ana: 12.5 (02-20), 7.25 (03-10), 3.75 (03-12) cents; her 03-16 event is not charged any more.
            // bo: 30 (03-14), 40 (03-17). dee: nothing. unknown: a free byok event on 03-01.
            assertEquals("""
                    cursor_cost_window_covered_seconds{window="1d"} 86400.0
                    cursor_cost_window_covered_seconds{window="28d"} 2419200.0
                    cursor_cost_window_covered_seconds{window="7d"} 604800.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="1d"} 0.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="28d"} 0.235
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="7d"} 0.0375
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="dee@acme.io",window="1d"} 0.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="dee@acme.io",window="28d"} 0.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="dee@acme.io",window="7d"} 0.0
                    cursor_cost_window_usd{location="London",team="Payments",user="bo@acme.io",window="1d"} 0.4
                    cursor_cost_window_usd{location="London",team="Payments",user="bo@acme.io",window="28d"} 0.7
                    cursor_cost_window_usd{location="London",team="Payments",user="bo@acme.io",window="7d"} 0.7
                    cursor_cost_window_usd{location="unknown",team="unassigned",user="unknown",window="1d"} 0.0
                    cursor_cost_window_usd{location="unknown",team="unassigned",user="unknown",window="28d"} 0.0
                    cursor_cost_window_usd{location="unknown",team="unassigned",user="unknown",window="7d"} 0.0
                    cursor_user_baseline_daily_cost_usd{location="Berlin",team="Platform",user="ana@acme.io"} 0.0083928571
                    cursor_user_baseline_daily_cost_usd{location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_user_baseline_daily_cost_usd{location="London",team="Payments",user="bo@acme.io"} 0.0107142857
                    cursor_user_baseline_daily_cost_usd{location="unknown",team="unassigned",user="unknown"} 0.0
                    """, samples(store));
        }
    }

    @Test
    void sevenHeldDaysMakeABaselineAndAWindowWithoutAHeldDayIsAbsent() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            // 03-10 .. 03-16 stored for good, no poll since: yesterday (03-17) is not held
            MetricsFixture.events(store, MetricsFixture.ACCOUNT, LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 16),
                    List.of(charged(at(2026, 3, 12, 9), ANA, "gpt-5.2", "70")));
            assertEquals("""
                    cursor_cost_window_covered_seconds{window="1d"} 0.0
                    cursor_cost_window_covered_seconds{window="28d"} 604800.0
                    cursor_cost_window_covered_seconds{window="7d"} 518400.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="28d"} 0.7
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="7d"} 0.7
                    cursor_user_baseline_daily_cost_usd{location="Berlin",team="Platform",user="ana@acme.io"} 0.1
                    """, samples(store));
        }
    }

    @Test
    void sixHeldDaysMakeNoBaseline() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            // 03-11 .. 03-16 stored for good, no poll since
            MetricsFixture.events(store, MetricsFixture.ACCOUNT, LocalDate.of(2026, 3, 11), LocalDate.of(2026, 3, 16),
                    List.of(charged(at(2026, 3, 12, 9), ANA, "gpt-5.2", "70")));
            assertEquals("""
                    cursor_cost_window_covered_seconds{window="1d"} 0.0
                    cursor_cost_window_covered_seconds{window="28d"} 518400.0
                    cursor_cost_window_covered_seconds{window="7d"} 518400.0
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="28d"} 0.7
                    cursor_cost_window_usd{location="Berlin",team="Platform",user="ana@acme.io",window="7d"} 0.7
                    """, samples(store));
        }
    }

    private static String samples(SqliteStore store) {
        return GroupExposition.of(new CostWindowMetrics(store, MetricsFixture.CLOCK, Freshness.defaults())).samples();
    }
}

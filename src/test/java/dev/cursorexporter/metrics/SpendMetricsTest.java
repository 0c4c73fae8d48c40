package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpendMetricsTest {
    @TempDir
    Path dir;

    @Test
    void cycleSpendOnDemandPartLimitsAndCycleStartOfTheLastSpendPoll() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            MetricsFixture.spend(store);
            // ana, new shape: overall 4250 cents, on demand 1250, limit 100 USD. bo, old shape: 800 cents of which
            // 500 included, so 300 on demand, no limit. dee: nothing spent, no limit. The 03-10 poll is superseded.
            assertEquals("""
                    cursor_cycle_on_demand_spend_usd{location="Berlin",team="Platform",user="ana@acme.io"} 12.5
                    cursor_cycle_on_demand_spend_usd{location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_cycle_on_demand_spend_usd{location="London",team="Payments",user="bo@acme.io"} 3.0
                    cursor_cycle_spend_usd{location="Berlin",team="Platform",user="ana@acme.io"} 42.5
                    cursor_cycle_spend_usd{location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_cycle_spend_usd{location="London",team="Payments",user="bo@acme.io"} 8.0
                    cursor_cycle_start_timestamp_seconds 1.7723232E9
                    cursor_user_spend_limit_usd{location="Berlin",team="Platform",user="ana@acme.io"} 100.0
                    """, GroupExposition.of(new SpendMetrics(store, Freshness.defaults())).samples());
        }
    }

    @Test
    void helpSaysHowOftenSpendIsPolledAsConfigured() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.spend(store);
            GroupExposition e = GroupExposition.of(new SpendMetrics(store,
                    new Freshness(Map.of(Source.SPEND, Duration.ofHours(2)))));
            assertEquals("Spend in USD this billing cycle: overallSpendCents if present, else spendCents. Current"
                    + " billing cycle, from /teams/spend; refreshed after each spend poll (every 2 hours).",
                    e.help("cursor_cycle_spend_usd"));
        }
    }
}

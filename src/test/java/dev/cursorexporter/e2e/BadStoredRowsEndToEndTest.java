package dev.cursorexporter.e2e;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 1: a store written by an older version, before the boundary checks, may hold values no exposition
 * can carry (a negative counter, a day in 2100). Restarted on such a store, the exporter still scrapes: the
 * offending series are left out and counted in {@code cursor_exporter_dropped_series}, the rest is served, the
 * active-user windows still end today, and the scrape passes {@code promtool check metrics}.
 */
class BadStoredRowsEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void aStoreWithBadRowsFromAnOlderVersionStillScrapes() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(15).days(20).seed(5).live(false)
                .clock(CLOCK).build())) {
            double activeBefore;
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL), CLOCK)) {
                Exposition first = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
                activeBefore = first.sum("cursor_active_users", l -> l.get("window").equals("28d"));
            }
            assertTrue(activeBefore > 1, "active users before: " + activeBefore);

            long day2100 = LocalDate.of(2100, 1, 1).toEpochDay();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + SqliteFiles.storeIn(dataDir));
                 Statement sql = db.createStatement()) {
                // what older versions stored for "chargedCents": -5 or "totalLinesAdded": -3
                sql.executeUpdate("UPDATE usage_totals SET cost_ucents = -5000000 WHERE email = "
                        + "(SELECT MIN(email) FROM usage_totals)");
                sql.executeUpdate("UPDATE usage_rollup SET cost_ucents = -5000000 WHERE email = "
                        + "(SELECT MIN(email) FROM usage_rollup)");
                sql.executeUpdate("UPDATE daily_usage SET total_lines_added = -1000000 WHERE day = "
                        + "(SELECT MIN(day) FROM daily_usage) AND email = (SELECT MIN(email) FROM daily_usage)");
                // and a daily row dated 2100, which used to end every active-user window in 2100
                sql.executeUpdate("INSERT INTO daily_usage SELECT account_id, " + day2100 + ", email, user_id, "
                        + "active, total_lines_added, total_lines_deleted, accepted_lines_added, "
                        + "accepted_lines_deleted, total_applies, total_accepts, total_rejects, total_tabs_shown, "
                        + "total_tabs_accepted, composer_requests, chat_requests, agent_requests, cmdk_usages, "
                        + "subscription_included_reqs, api_key_reqs, usage_based_reqs, bugbot_usages, "
                        + "most_used_model, client_version FROM daily_usage LIMIT 1");
            }

            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL), CLOCK)) {
                Exposition after = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
                HttpResponse<String> scrape = Http.get(exporter.url("/metrics"));
                assertEquals(200, scrape.statusCode());
                ExporterJarIT.promtoolCheckMetrics(scrape.body());

                assertTrue(after.samples("cursor_usage_cost_usd_total").stream().allMatch(s -> s.value() >= 0));
                assertTrue(after.samples("cursor_lines_added_total").stream().allMatch(s -> s.value() >= 0));
                assertTrue(after.sum("cursor_exporter_dropped_series",
                        l -> l.get("metric").equals("cursor_usage_cost_usd")) >= 1, "dropped cost series counted");
                assertTrue(after.sum("cursor_exporter_dropped_series",
                        l -> l.get("metric").equals("cursor_lines_added")) >= 1, "dropped lines series counted");
                assertTrue(after.sum("cursor_usage_cost_usd_total", l -> true) > 0, "the rest is served");
                assertEquals(activeBefore, after.sum("cursor_active_users", l -> l.get("window").equals("28d")),
                        "the 2100 row does not move the active-user windows");
            }
        }
    }
}

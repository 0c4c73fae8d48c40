package dev.cursorexporter;

import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.config.ConfigDescription;
import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.SimulatorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary printed in demo mode says what demo mode runs with, not the configured defaults it replaces. */
class DemoModeTest {

    @Test
    void demoRunsWithTheSimulatorsWholeHistoryOneMinuteIntervalsAndItsDirectory() throws ConfigException {
        ExporterConfig configured = ConfigLoader.load(Map.of());
        ExporterConfig demo = DemoMode.effective(configured, Optional.empty());

        int history = SimulatorOptions.defaults().days();
        assertEquals(90, history);
        assertEquals(history - 1, demo.sync().backfillDays(), "89 complete days plus today = the simulator's 90 days");
        for (Source s : Source.values()) {
            assertEquals(Duration.ofMinutes(1), demo.sync().pollInterval(s), s.label());
        }
        assertEquals(Optional.of(Path.of("./data/demo-directory.csv")), demo.directory().file());
    }

    @Test
    void summaryAtStartPrintsTheDemoValuesAndTheDerivedBudgets() throws ConfigException {
        ExporterConfig configured = ConfigLoader.load(Map.of("CURSOR_EXPORTER_DATA_DIR", "/tmp/demo-data"));
        Budgets derived = new Budgets(Optional.empty(),
                Map.of("Platform", new BigDecimal("420"), "Data", new BigDecimal("130")));
        String summary = ConfigDescription.describe(DemoMode.effective(configured, Optional.of(derived)),
                Optional.of(DemoMode.description(configured, Optional.of(URI.create("http://127.0.0.1:41234")))));

        assertEquals("""
                mode: demo (no API key configured; the built-in simulator is polled)
                simulator: http://127.0.0.1:41234 (40 users, 90 days of history ending today)
                listen address: 0.0.0.0:9464 (all interfaces)
                log: text, level info
                auth token: (not set; every endpoint is open)
                OTLP receiver: demo (127.0.0.1, a free port, a random token; the simulator pushes its OpenTelemetry \
                Export), silent after 1h
                store: SQLite file /tmp/demo-data/cursor-exporter.db
                data dir: /tmp/demo-data
                backfill: 89 complete UTC days before today, plus today (demo: all 90 days the simulator holds)
                look-back: 2 days
                answer limit: 32MiB
                poll intervals: members 1m, spend 1m, daily_usage 1m, usage_events 1m, billing_groups 1m, \
                analytics 1m, ai_code 1m, audit_logs 1m
                rate limits per minute: admin 18, usage_events 54, analytics_team 90, analytics_by_user 45, ai_code 18
                directory: /tmp/demo-data/demo-directory.csv (the demo organisation's, written at start)
                user label: email
                budgets (USD per cycle, derived from the simulated cycle spend: the top team at about 95 %, the \
                others at about 50 %): Data 130, Platform 420""", summary);
    }

    @Test
    void configuredBudgetsAndDirectoryWinInDemoToo(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("demo.yaml"), "budgets:\n  default: 500\n");
        Path people = Files.writeString(dir.resolve("people.csv"), "email,team,location\n");
        ExporterConfig configured = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml.toString(),
                "CURSOR_EXPORTER_DIRECTORY_FILE", people.toString()));
        ExporterConfig demo = DemoMode.effective(configured,
                Optional.of(new Budgets(Optional.empty(), Map.of("Data", BigDecimal.TEN))));
        assertEquals(configured.budgets(), demo.budgets());
        assertEquals(configured.directory().file(), demo.directory().file());
        String summary = ConfigDescription.describe(demo,
                Optional.of(DemoMode.description(configured, Optional.empty())));
        assertTrue(summary.contains("\nbudgets (USD per cycle): default 500, teams 0"), summary);
        assertTrue(summary.contains("\ndirectory: " + people + "\n"), summary);
    }

    @Test
    void checkConfigInDemoModePrintsWhatDemoModeWillUse() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"check-config"}, Map.of("CURSOR_EXPORTER_DATA_DIR", "/tmp/demo-data"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("\nsimulator: (a free local port, chosen at start) (40 users, 90 days of history "
                + "ending today)\n"), printed);
        assertTrue(printed.contains("\nbackfill: 89 complete UTC days before today, plus today (demo: all 90 days the "
                + "simulator holds)\n"), printed);
        assertTrue(printed.contains("\npoll intervals: members 1m, spend 1m, daily_usage 1m, usage_events 1m, "), printed);
        assertTrue(printed.contains("\ndirectory: /tmp/demo-data/demo-directory.csv (the demo organisation's, written "
                + "at start)\n"), printed);
        assertTrue(printed.endsWith("budgets (USD per cycle): derived from the simulated cycle spend: the top team at "
                + "about 95 %, the others at about 50 %, at start\n"), printed);
    }

    /**
     * The demo's OTel history starts at the start of the UTC day a week ago, so the estimate meets settled days at
     * once; a restart on the same data directory goes on from the receiver's last metrics instead of pushing the
     * week's deltas again.
     */
    @Test
    void theOtelPusherStartsAWeekBackOrWhereTheReceiverLeftOff() {
        java.time.Instant now = java.time.Instant.parse("2026-11-20T15:30:00Z");
        long weekBack = java.time.Instant.parse("2026-11-13T00:00:00Z").toEpochMilli();
        assertEquals(weekBack, DemoMode.otelPushFrom(now, Optional.empty()));
        assertEquals(weekBack, DemoMode.otelPushFrom(now, Optional.of(java.time.Instant.parse(
                "2026-10-01T00:00:00Z"))), "an older store's receipt: the week");
        java.time.Instant lastRun = java.time.Instant.parse("2026-11-20T14:59:45.123Z");
        assertEquals(lastRun.toEpochMilli(), DemoMode.otelPushFrom(now, Optional.of(lastRun)));
        assertEquals(now.toEpochMilli(), DemoMode.otelPushFrom(now, Optional.of(now.plusSeconds(60))),
                "a receipt in the future (clock moved back): nothing before now");
    }
}

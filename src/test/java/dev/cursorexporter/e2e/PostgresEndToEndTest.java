package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.RemovedMembers;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import dev.cursorexporter.testing.PostgresServer;
import dev.cursorexporter.config.ExporterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exporter on the PostgreSQL store ({@code CURSOR_EXPORTER_STORE_URL=jdbc:postgresql://…} with its password),
 * against the simulator over real HTTP: every total of a real scrape equals the simulator's, and a restart on the same
 * database serves them again at once.
 */
class PostgresEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    /** The datasource API answers the same bytes from either store, for the same data. */
    @Test
    void theDatasourceApiAnswersExactlyAsOnSqlite(@TempDir Path sqliteDir) {
        String url = PostgresServer.get().freshDatabase();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(40).seed(5)
                .profile(Profile.DOCS_LATEST).removedMembers(RemovedMembers.LISTED).live(false).clock(CLOCK).build())) {
            ExporterConfig sqliteConfig = ExporterHarness.config(sim, sqliteDir, 40, UserLabelMode.EMAIL);
            ExporterConfig pgConfig = ExporterHarness.config(sim, dataDir, 40, UserLabelMode.EMAIL).toBuilder()
                    .storeUrl(Optional.of(url)).storePassword(Optional.of(new Secret(PostgresServer.PASSWORD)))
                    .build();
            try (ExporterHarness sqlite = ExporterHarness.start(sqliteConfig, CLOCK);
                 ExporterHarness pg = ExporterHarness.start(pgConfig, CLOCK)) {
                sqlite.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                pg.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                String range = "from=2026-10-01&to=2026-11-20";
                int compared = 0;
                for (String path : java.util.List.of("/api/v1/daily?" + range,
                        "/api/v1/daily?" + range + "&by=user,model", "/api/v1/daily?" + range + "&by=team,location",
                        "/api/v1/daily?" + range + "&by=model&team=unassigned",
                        "/api/v1/daily?" + range + "&by=actor", "/api/v1/totals?" + range + "&by=user",
                        "/api/v1/totals?" + range + "&by=team,model", "/api/v1/totals?" + range + "&by=user,actor",
                        "/api/v1/members", "/api/v1/reconciliation?" + range)) {
                    JsonHttp.Answer fromSqlite = JsonHttp.get(sqlite.url(path));
                    JsonHttp.Answer fromPg = JsonHttp.get(pg.url(path));
                    assertEquals(200, fromSqlite.status(), path + ": " + fromSqlite.raw());
                    assertEquals(fromSqlite.raw(), fromPg.raw(), path);
                    compared += fromSqlite.raw().length();
                }
                org.junit.jupiter.api.Assertions.assertTrue(compared > 10_000, "answers compared: " + compared);
            }
        }
    }

    @Test
    void metricsEqualTheSimulatorsTotalsAndSurviveARestart() {
        String url = PostgresServer.get().freshDatabase();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(15).days(20).seed(11)
                .profile(Profile.OBSERVED_2026_01).removedMembers(RemovedMembers.LISTED).live(false).clock(CLOCK)
                .build())) {
            ExporterConfig config = ExporterHarness.config(sim, dataDir, 20, UserLabelMode.EMAIL).toBuilder()
                    .storeUrl(Optional.of(url)).storePassword(Optional.of(new Secret(PostgresServer.PASSWORD)))
                    .build();
            SimulatorTotals totals = sim.totals();
            try (ExporterHarness exporter = ExporterHarness.start(config, CLOCK)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                assertScrapeMatches(totals, scrape);
                assertEquals(dev.cursorexporter.model.Source.values().length,
                        scrape.sum("cursor_exporter_source_up", l -> true), "all sources up");
                assertEquals("postgresql", JsonHttp.get(exporter.url("/api/v1/status")).body().path("store")
                        .path("kind").asText(), "status names the store");
                assertEquals(200, Http.get(exporter.url("/readyz")).statusCode());
            }
            try (ExporterHarness again = ExporterHarness.start(config, CLOCK)) {
                assertScrapeMatches(totals, again.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT));
            }
        }
    }
}

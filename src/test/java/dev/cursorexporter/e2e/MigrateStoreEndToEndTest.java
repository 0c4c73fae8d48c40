package dev.cursorexporter.e2e;

import dev.cursorexporter.MigrateStoreCommand;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.RemovedMembers;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's acceptance test for {@code migrate-store}: a 90-day store synced from the simulator onto SQLite is copied
 * to a new PostgreSQL database, and then an exporter on each store, with the Cursor API gone (so the PostgreSQL one can
 * only answer what was copied), answers the datasource API with the same bytes.
 */
class MigrateStoreEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int DAYS = 90;

    @Test
    void aNinetyDayStoreAnswersTheSameBytesAfterMigratingToPostgresql(@TempDir Path sqliteDir,
                                                                      @TempDir Path pgDir) {
        String url = PostgresServer.get().freshDatabase(); // bare: migrate-store migrates it
        ExporterConfig sqliteConfig;
        ExporterConfig pgConfig;
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(25).days(DAYS).seed(15)
                .profile(Profile.DOCS_LATEST).removedMembers(RemovedMembers.LISTED).live(false).clock(CLOCK).build())) {
            sqliteConfig = ExporterHarness.config(sim, sqliteDir, DAYS, UserLabelMode.EMAIL);
            pgConfig = ExporterHarness.config(sim, pgDir, DAYS, UserLabelMode.EMAIL).toBuilder()
                    .storeUrl(Optional.of(url)).storePassword(Optional.of(new Secret(PostgresServer.PASSWORD)))
                    .build();
            try (ExporterHarness exporter = ExporterHarness.start(sqliteConfig, CLOCK)) {
                exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(120));
            }
        } // the simulator stops: from here on neither exporter can fetch anything

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigrateStoreCommand.run(new String[0], Map.of("CURSOR_EXPORTER_DATA_DIR", sqliteDir.toString(),
                        "CURSOR_EXPORTER_STORE_URL", url, "CURSOR_EXPORTER_STORE_PASSWORD", PostgresServer.PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("verified: "), printed);
        assertFalse(printed.contains(PostgresServer.PASSWORD), printed);

        try (ExporterHarness sqlite = ExporterHarness.start(sqliteConfig, CLOCK);
             ExporterHarness pg = ExporterHarness.start(pgConfig, CLOCK)) {
            for (ExporterHarness e : List.of(sqlite, pg)) {
                Http.await(Duration.ofSeconds(60), "ready on the stored data",
                        () -> Http.get(e.url("/readyz")).statusCode() == 200);
            }
            String range = "from=2026-08-22&to=2026-11-20";
            int compared = 0;
            for (String path : List.of("/api/v1/daily?" + range, "/api/v1/daily?" + range + "&by=user",
                    "/api/v1/daily?" + range + "&by=user,model", "/api/v1/daily?" + range + "&by=team,location",
                    "/api/v1/daily?" + range + "&by=model&team=unassigned", "/api/v1/daily?" + range + "&by=billing",
                    "/api/v1/daily?" + range + "&by=actor", "/api/v1/daily?from=2026-11-01&to=2026-11-20&by=team,model",
                    "/api/v1/totals?" + range, "/api/v1/totals?" + range + "&by=user",
                    "/api/v1/totals?" + range + "&by=team,model", "/api/v1/members")) {
                JsonHttp.Answer fromSqlite = JsonHttp.get(sqlite.url(path));
                JsonHttp.Answer fromPg = JsonHttp.get(pg.url(path));
                assertEquals(200, fromSqlite.status(), path + ": " + fromSqlite.raw());
                assertEquals(fromSqlite.raw(), fromPg.raw(), path);
                compared += fromSqlite.raw().length();
            }
            assertTrue(compared > 100_000, "answers compared: " + compared);
            double cost = JsonHttp.get(pg.url("/api/v1/totals?" + range)).body().findValues("costUsd").stream()
                    .mapToDouble(n -> n.asDouble()).sum();
            assertTrue(cost > 0, "the PostgreSQL exporter answers the copied cost: " + cost);
            assertEquals("postgresql", JsonHttp.get(pg.url("/api/v1/status")).body().path("store").path("kind")
                    .asText());
        }
    }
}

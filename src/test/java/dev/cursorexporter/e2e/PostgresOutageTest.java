package dev.cursorexporter.e2e;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter on PostgreSQL while its database refuses every connection (as when the server is down or restarting):
 * {@code /metrics} keeps serving the last snapshot, and what needs the store ({@code /readyz}, an uncached
 * datasource question) answers 503 with {@code Retry-After} and a JSON error, not 500; once the database takes
 * connections again, the exporter is ready again without a restart.
 */
class PostgresOutageTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void whileTheDatabaseRefusesConnectionsTheStoreAnswersAre503AndMetricsKeepServing() throws Exception {
        String url = PostgresServer.get().freshDatabase();
        String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(6).days(10).seed(3).live(false)
                .clock(CLOCK).build())) {
            ExporterConfig config = ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL).toBuilder()
                    .storeUrl(Optional.of(url)).storePassword(Optional.of(new Secret(PostgresServer.PASSWORD)))
                    .build();
            try (ExporterHarness exporter = ExporterHarness.start(config, CLOCK)) {
                exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
                assertEquals(200, Http.get(exporter.url("/readyz")).statusCode());

                connections(database, false);
                try {
                    HttpResponse<String> ready = Http.get(exporter.url("/readyz"));
                    assertEquals(503, ready.statusCode(), ready.body());
                    assertTrue(ready.body().contains("\"error\":\"the store cannot answer now"), ready.body());
                    assertEquals(Optional.of("10"), ready.headers().firstValue("Retry-After"));

                    // a question not asked before, so no cached answer can serve it
                    HttpResponse<String> daily = Http.get(exporter.url("/api/v1/daily?from=2026-11-12&to=2026-11-13"
                            + "&by=user,model"));
                    assertEquals(503, daily.statusCode(), daily.body());
                    assertTrue(daily.body().startsWith("{\"error\":"), daily.body());

                    HttpResponse<String> metrics = Http.get(exporter.url("/metrics"));
                    assertEquals(200, metrics.statusCode());
                    assertTrue(metrics.body().contains("cursor_usage_cost_usd_total"), "the last snapshot serves");
                } finally {
                    connections(database, true);
                }
                Http.await(Duration.ofSeconds(30), "ready again",
                        () -> Http.get(exporter.url("/readyz")).statusCode() == 200);
            }
        }
    }

    /** Lets the database take connections, or refuses new ones and ends those open (the pool's too). */
    private static void connections(String database, boolean allowed) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresServer.get().url("postgres"), PostgresServer.USER,
                PostgresServer.PASSWORD); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }
}

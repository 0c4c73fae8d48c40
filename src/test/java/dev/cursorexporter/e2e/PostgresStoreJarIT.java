package dev.cursorexporter.e2e;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.PostgresServer;
import dev.cursorexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar on the PostgreSQL store, as a user runs it: {@code CURSOR_EXPORTER_STORE_URL=jdbc:postgresql://…} and
 * the password in {@code CURSOR_EXPORTER_STORE_PASSWORD_FILE}. check-config and the run say PostgreSQL, the store
 * syncs and serves, and the password is in no log line and no answer.
 */
class PostgresStoreJarIT {

    @TempDir
    Path dir;

    @Test
    void runsOnPostgresqlAndNeverShowsItsPassword() throws Exception {
        String url = PostgresServer.get().freshDatabase();
        List<String> seen = new ArrayList<>();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(8).days(10).seed(23).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 10);
            Path passwordFile = Files.writeString(dir.resolve("store_password"), PostgresServer.PASSWORD + "\n");
            env.put("CURSOR_EXPORTER_STORE_URL", url);
            env.put("CURSOR_EXPORTER_STORE_PASSWORD_FILE", passwordFile.toString());
            int port = Integer.parseInt(env.get("CURSOR_EXPORTER_PORT"));
            Path log = dir.resolve("exporter.log");

            assertEquals(0, JarProcess.run(env, log, Duration.ofSeconds(60), "check-config"));
            String check = Files.readString(log);
            assertTrue(check.contains("store: " + url + " (PostgreSQL), password (set)"), check);
            seen.add(check);

            try (JarProcess exporter = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp("http://127.0.0.1:" + port + "/healthz"));
                Http.await(Duration.ofSeconds(90), "synced", () -> Exposition.parse(RawHttp.get(port, "/metrics").body())
                        .sum("cursor_exporter_source_up", l -> true) >= 5);
                for (String path : List.of("/metrics", "/readyz", "/api/v1/status", "/api/v1/daily?by=model",
                        "/api/v1/members")) {
                    RawHttp.Response r = RawHttp.get(port, path);
                    assertEquals(200, r.status(), path + ": " + r.body());
                    seen.add(String.join("\n", r.headers()) + "\n" + r.body());
                }
                assertTrue(RawHttp.get(port, "/api/v1/status").body().contains("\"postgresql\""), "status says so");
                int exit = exporter.terminate(Duration.ofSeconds(30));
                assertTrue(exit == 0 || exit == 143, "exit " + exit);
            }
            seen.add(Files.readString(log));
        }
        String secret = PostgresServer.PASSWORD;
        for (String text : seen) {
            for (String form : List.of(secret, Base64.getEncoder().encodeToString(secret.getBytes(UTF_8)),
                    secret.substring(3, secret.length() - 3))) {
                assertFalse(text.contains(form), "the store password appears in: " + text);
            }
        }
    }
}

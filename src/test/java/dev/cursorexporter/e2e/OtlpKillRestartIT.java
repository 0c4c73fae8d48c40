package dev.cursorexporter.e2e;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.OtlpRequests;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.cursorexporter.testing.OtlpRequests.deltaSum;
import static dev.cursorexporter.testing.OtlpRequests.event;
import static dev.cursorexporter.testing.OtlpRequests.point;
import static dev.cursorexporter.testing.OtlpRequests.resource;
import static dev.cursorexporter.testing.OtlpRequests.resourceMetrics;
import static dev.cursorexporter.testing.OtlpRequests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built jar (the shaded protobuf and OTLP classes inside) receives OTLP pushes, is killed with SIGKILL right after
 * its 200 answers, before any snapshot could show them, and restarted on the same data directory: every accepted
 * count is there, and log records Cursor re-sends after the restart are not counted again.
 */
class OtlpKillRestartIT {
    private static final String TOKEN = "otlp_kill_it_3e9d";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void acceptedCountsSurviveSigkillAndRetriedRecordsCountOnce() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(3).days(2).seed(5).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 1);
            int otlpPort = JarProcess.freePort();
            env.put("CURSOR_EXPORTER_OTLP_TOKEN", TOKEN);
            env.put("CURSOR_EXPORTER_OTLP_PORT", Integer.toString(otlpPort));
            String metricsUrl = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT") + "/metrics";
            byte[] metrics = OtlpRequests.metrics(resourceMetrics(resource("cli", str("cursor.user.email",
                    "kill@acme.test")), deltaSum("cursor.token.usage", point(123, str("cursor.token.type",
                    "input"), str("cursor.model.name", "m-kill"))))).toByteArray();
            byte[] logs = OtlpRequests.logs(resource("cli"), event("cursor.api.error", "ev-kill-1"),
                    event("cursor.api.error", "ev-kill-2")).toByteArray();

            try (JarProcess first = JarProcess.start(env, dir.resolve("run1.log"))) {
                Http.await(TIMEOUT, "the receiver is up", () -> receives(otlpPort));
                assertEquals(200, post(otlpPort, "/v1/metrics", metrics).statusCode());
                assertEquals(200, post(otlpPort, "/v1/metrics", OtlpRequests.gzip(metrics),
                        "Content-Encoding", "gzip").statusCode());
                assertEquals(200, post(otlpPort, "/v1/logs", logs).statusCode());
                first.kill();
            }
            try (JarProcess second = JarProcess.start(env, dir.resolve("run2.log"))) {
                Exposition[] last = new Exposition[1];
                Http.await(TIMEOUT, "the counts of the killed run", () -> {
                    if (!Http.isUp(metricsUrl)) {
                        return false;
                    }
                    last[0] = Exposition.parse(Http.get(metricsUrl).body());
                    return last[0].sum("cursor_otel_log_events_total", l -> true) > 0;
                });
                assertEquals(246, last[0].sum("cursor_otel_tokens_total", l -> "m-kill".equals(l.get("model"))
                        && "kill@acme.test".equals(l.get("user"))));
                assertEquals(2, last[0].sum("cursor_otel_log_events_total",
                        l -> "cursor.api.error".equals(l.get("event"))));

                HttpResponse<byte[]> retried = post(otlpPort, "/v1/logs", logs);
                assertEquals(200, retried.statusCode());
                assertEquals(0, ExportLogsServiceResponse.parseFrom(retried.body()).getPartialSuccess()
                        .getRejectedLogRecords());
                Http.await(TIMEOUT, "the duplicates counted", () -> Exposition.parse(Http.get(metricsUrl).body())
                        .sum("cursor_exporter_otlp_duplicates_total", l -> true) == 2);
                Exposition after = Exposition.parse(Http.get(metricsUrl).body());
                assertEquals(2, after.sum("cursor_otel_log_events_total",
                        l -> "cursor.api.error".equals(l.get("event"))), "re-sent records counted once");
                second.terminate(Duration.ofSeconds(20));
            }
        }
    }

    private static boolean receives(int port) {
        try {
            return post(port, "/v1/metrics", new byte[0]).statusCode() == 200;
        } catch (java.io.UncheckedIOException e) {
            return false; // not listening yet
        }
    }

    private static HttpResponse<byte[]> post(int port, String path, byte[] body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = "Bearer " + TOKEN;
        all[2] = "Content-Type";
        all[3] = "application/x-protobuf";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return OtlpRequests.post(port, path, body, all);
    }
}

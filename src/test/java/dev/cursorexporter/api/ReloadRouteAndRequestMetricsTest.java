package dev.cursorexporter.api;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.ReloadResult;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over real HTTP: {@code POST /-/reload} behind the token, 200 or 400 with JSON saying what the reload did; and
 * every answer counted by its route template, method and status, unmatched paths under one value.
 */
class ReloadRouteAndRequestMetricsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);
    private static final String TOKEN = "route-token";

    @Test
    void reloadAnswersWithItsResultAndRequestsAreCountedByTemplate(@TempDir Path dir) {
        AtomicReference<ReloadResult> next = new AtomicReference<>();
        try (SqliteStore store = SqliteStore.open(dir)) {
            UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
            MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"),
                    () -> Directory.EMPTY, labeler, CLOCK), "test", "live");
            metrics.refresh();
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY, labeler,
                    CLOCK);
            try (HttpServer server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live",
                    new HttpAuth(Optional.of(new Secret(TOKEN)), Optional.empty()), queries, null, null,
                    next::get).start()) {
                String url = "http://127.0.0.1:" + server.port();
                String[] auth = {"Authorization", "Bearer " + TOKEN};

                HttpResponse<String> anonymous = Http.post(url + "/-/reload");
                assertEquals(401, anonymous.statusCode());
                assertTrue(anonymous.body().contains("\"error\""), anonymous.body());

                next.set(new ReloadResult(true, List.of(), List.of("budgets"), List.of("server.port")));
                HttpResponse<String> applied = Http.post(url + "/-/reload", auth);
                assertEquals(200, applied.statusCode());
                assertEquals("{\"status\":\"applied\",\"changed\":[\"budgets\"],\"needsRestart\":[\"server.port\"]}",
                        applied.body());

                next.set(ReloadResult.refused(List.of("budgets.default: must be a number of USD (0 or more), got 'x'")));
                HttpResponse<String> refused = Http.post(url + "/-/reload", auth);
                assertEquals(400, refused.statusCode());
                assertEquals("{\"status\":\"refused\",\"error\":\"invalid configuration; the running configuration "
                        + "is kept\",\"problems\":[\"budgets.default: must be a number of USD (0 or more), got 'x'\"]}",
                        refused.body());

                assertEquals(200, Http.get(url + "/api//v1/daily?from=2026-11-01&to=2026-11-02", auth).statusCode());
                assertEquals(404, Http.get(url + "/api/v1/secret-path-1", auth).statusCode());
                assertEquals(404, Http.get(url + "/api/v1/secret-path-2", auth).statusCode());

                // the last request is counted after its answer went out: wait for it
                Http.await(Duration.ofSeconds(5), "the requests counted", () -> count(url, auth,
                        "unmatched", "GET", "404") == 2);
                Exposition m = Exposition.parse(Http.get(url + "/metrics", auth).body());
                assertEquals(1, sum(m, "/-/reload", "POST", "401"));
                assertEquals(1, sum(m, "/-/reload", "POST", "200"));
                assertEquals(1, sum(m, "/-/reload", "POST", "400"));
                assertEquals(1, sum(m, "/api/v1/daily", "GET", "200"), "the template, not the path as written");
                assertFalse(m.all().stream().anyMatch(s -> String.valueOf(s.labels().get("route"))
                        .contains("secret-path")), "never a raw path");
                assertEquals(3, m.sum("cursor_exporter_http_request_duration_seconds_count",
                        l -> "/-/reload".equals(l.get("route")) && "POST".equals(l.get("method"))));
                assertEquals("histogram", m.type("cursor_exporter_http_request_duration_seconds"));
            }
        }
    }

    private static double count(String url, String[] auth, String route, String method, String code) {
        return sum(Exposition.parse(Http.get(url + "/metrics", auth).body()), route, method, code);
    }

    private static double sum(Exposition m, String route, String method, String code) {
        return m.sum("cursor_exporter_http_requests_total", l -> route.equals(l.get("route"))
                && method.equals(l.get("method")) && code.equals(l.get("code")));
    }
}

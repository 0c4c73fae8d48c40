package dev.cursorexporter.api;

import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.SnapshotBuilder;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An answer over the row limit is a 400 naming the limit, on both datasource protocols, and the server goes on. */
class AnswerTooLargeHttpTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);

    @Test
    void tooManyRowsIsABadRequest(@TempDir Path dir) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
            MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"),
                    () -> Directory.EMPTY, labeler, CLOCK), "test", "live");
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY, labeler, CLOCK,
                    100, 1_000);
            try (HttpServer server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live", Optional.empty(),
                    queries).start()) {
                String base = "http://127.0.0.1:" + server.port();
                JsonHttp.Answer rest = JsonHttp.get(base + "/api/v1/daily?from=2026-01-01&to=2026-11-20");
                assertEquals(400, rest.status(), rest.raw());
                assertEquals(Map.of("error", "the answer would have more than 100 rows (324 days x at least 1 group);"
                        + " narrow the range, filter, group by fewer dimensions or use longer buckets"),
                        JsonHttp.MAPPER.convertValue(rest.body(), Map.class));

                JsonHttp.Answer simpod = JsonHttp.post(base + "/grafana/query", "{\"range\":{\"from\":"
                        + "\"2026-01-01T00:00:00.000Z\",\"to\":\"2026-11-20T15:30:00.000Z\"},\"intervalMs\":3600000,"
                        + "\"targets\":[{\"target\":\"cost\",\"refId\":\"A\"}]}");
                assertEquals(400, simpod.status(), simpod.raw());

                assertEquals(100, JsonHttp.get(base + "/api/v1/daily?from=2026-08-13&to=2026-11-20").body().size(),
                        "100 rows are allowed");

                // Each of two targets answers 60 days, within the limit; together they are held until sent.
                String twoTargets = "{\"range\":{\"from\":\"2026-09-22T00:00:00.000Z\",\"to\":"
                        + "\"2026-11-20T15:30:00.000Z\"},\"intervalMs\":3600000,\"targets\":["
                        + "{\"target\":\"cost\",\"refId\":\"A\"},{\"target\":\"requests\",\"refId\":\"B\"}]}";
                JsonHttp.Answer both = JsonHttp.post(base + "/grafana/query", twoTargets);
                assertEquals(400, both.status(), both.raw());
                assertEquals(Map.of("error", "targets: the answers would have more than 100 rows together; ask fewer "
                        + "targets per request (fewer queries in the panel) or narrow them"),
                        JsonHttp.MAPPER.convertValue(both.body(), Map.class));
                assertEquals(200, JsonHttp.post(base + "/grafana/query", twoTargets.replace(
                        ",{\"target\":\"requests\",\"refId\":\"B\"}", "")).status(), "one target alone is fine");
            }
        }
    }
}

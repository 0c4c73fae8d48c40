package dev.cursorexporter.api;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.ForwardingDailyQueries;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small answer asked again is kept as the bytes then written and sent from them afterwards (no store read, no
 * JSON written, even when its rows are too many for the row cache), a large one is streamed whole every time and
 * not kept, and a sync's invalidation drops what was kept; on a real SQLite file over HTTP.
 */
class KeptAnswersHttpTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);
    private static final LocalDate FIRST = LocalDate.of(2026, 11, 1);

    @Test
    void smallAnswersAreSentFromTheirBytesLargeOnesStreamed(@TempDir Path dir) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            List<UsageEvent> events = new ArrayList<>();
            for (int day = 0; day < 20; day++) {
                BigDecimal cents = BigDecimal.valueOf(125 + day, 2); // cents: $0.0125 and up
                events.add(new UsageEvent(FIRST.plusDays(day).atTime(9, 0).toInstant(ZoneOffset.UTC), "a@x.io",
                        "gpt-5", "Usage-based", false, BigDecimal.ONE, new TokenUsage(10, 20, 3, 4, cents), cents,
                        null, false, null));
            }
            try (EventWindow w = store.openEventWindow("default", FIRST, FIRST.plusDays(19))) {
                w.add(events);
                w.commit(true);
            }
            AtomicInteger reads = new AtomicInteger();
            UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
            MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"),
                    () -> Directory.EMPTY, labeler, CLOCK), "test", "live");
            // Row cache of 8 rows keeps answers of at most one row; kept bytes: 16,000 in all, 2,000 per answer.
            DatasourceQueries queries = new DatasourceQueries(store, counting(store.daily(), reads),
                    () -> Directory.EMPTY, labeler, CLOCK, 1_000, 8, 16_000);
            try (HttpServer server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live", Optional.empty(),
                    queries).start()) {
                String base = "http://127.0.0.1:" + server.port() + "/api/v1/daily?by=model&from=";
                String small = base + "2026-11-01&to=2026-11-03";
                String large = base + "2026-11-01&to=2026-11-20";

                JsonHttp.Answer first = JsonHttp.get(small);
                assertEquals(200, first.status(), first.raw());
                assertEquals(3, first.body().size());
                assertTrue(first.raw().length() > 500 && first.raw().length() <= 2_000, first.raw());
                assertEquals(1, reads.get());
                assertEquals(first.raw(), JsonHttp.get(small).raw());
                assertEquals(2, reads.get(), "kept only once asked again: three rows are too many for the row cache");
                for (int i = 0; i < 3; i++) {
                    assertEquals(first.raw(), JsonHttp.get(small).raw());
                }
                assertEquals(2, reads.get(), "sent from its bytes");

                JsonHttp.Answer big = JsonHttp.get(large);
                assertEquals(200, big.status(), big.raw());
                assertEquals(20, big.body().size(), "streamed whole past the held bytes");
                assertTrue(big.raw().length() > 2_000);
                assertEquals(3, reads.get());
                for (int i = 0; i < 2; i++) {
                    assertEquals(big.raw(), JsonHttp.get(large).raw());
                }
                assertEquals(5, reads.get(), "too large to keep: computed every time");
                assertEquals(Map.of("model", "gpt-5", "costUsd", 0.0144), Map.of(
                        "model", big.body().get(19).get("model").asText(),
                        "costUsd", big.body().get(19).get("costUsd").asDouble()));

                queries.invalidate();
                assertEquals(first.raw(), JsonHttp.get(small).raw());
                assertEquals(6, reads.get(), "a sync drops the kept bytes");

                JsonHttp.Answer totals = JsonHttp.get(small.replace("/daily", "/totals"));
                assertEquals(1, totals.body().size(), "the same question to another endpoint: its own answer");
                assertEquals(7, reads.get());
            }
        }
    }

    private static DailyQueries counting(DailyQueries store, AtomicInteger reads) {
        return new ForwardingDailyQueries(store) {
            @Override
            public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
                reads.incrementAndGet();
                super.dailyUsageCost(query, sink);
            }
        };
    }
}

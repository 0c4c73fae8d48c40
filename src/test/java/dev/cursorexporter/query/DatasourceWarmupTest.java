package dev.cursorexporter.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.ForwardingDailyQueries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasourceWarmupTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);

    /** After the warm-up, the History board opened with its default range is answered without reading the store. */
    @Test
    void theBoardsDefaultQuestionsAreAnsweredFromTheCacheAfterwards(@TempDir Path dir) {
        AtomicInteger reads = new AtomicInteger();
        try (SqliteStore store = SqliteStore.open(dir)) {
            ForwardingDailyQueries counting = new ForwardingDailyQueries(store.daily()) {
                @Override
                public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
                    reads.incrementAndGet();
                    super.dailyUsageCost(query, sink);
                }

                @Override
                public void dailyActivity(DailyQuery query, Consumer<? super DailyActivity> sink) {
                    reads.incrementAndGet();
                    super.dailyActivity(query, sink);
                }
            };
            DatasourceQueries queries = new DatasourceQueries(store, counting, () -> Directory.EMPTY,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), CLOCK);
            LocalDate today = LocalDate.now(CLOCK);
            DatasourceWarmup.run(queries, today);
            int warm = reads.get();
            assertTrue(warm >= DatasourceWarmup.questions(today).size(), "every question read the store: " + warm);
            for (SeriesQuery q : DatasourceWarmup.questions(today)) {
                queries.series(q);
            }
            assertEquals(warm, reads.get(), "asked again, nothing is computed");
        }
    }

    /** Every grouping the History board's daily panels ask for is among the questions warmed. */
    @Test
    void theQuestionsCoverTheHistoryBoardsGroupings() throws Exception {
        JsonNode board = new ObjectMapper().readTree(Path.of("grafana-dashboards", "cursor-history.json").toFile());
        Set<String> asked = new TreeSet<>();
        for (JsonNode panel : board.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String url = target.path("url").asText("");
                if (url.contains("/api/v1/daily") || url.contains("/api/v1/totals")) {
                    String by = url.replaceAll(".*[?&]by=([a-z,]+).*", "$1");
                    asked.add(by.equals(url) ? "" : by);
                }
            }
        }
        Set<String> warmed = new TreeSet<>();
        for (SeriesQuery q : DatasourceWarmup.questions(LocalDate.now(CLOCK))) {
            warmed.add(String.join(",", q.by().stream().map(Dimension::key).toList()));
        }
        assertTrue(!asked.isEmpty(), "the board asks the datasource");
        assertTrue(warmed.containsAll(asked), "board asks " + asked + ", warmed " + warmed);
    }
}

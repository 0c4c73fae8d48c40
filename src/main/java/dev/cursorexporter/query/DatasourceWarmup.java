package dev.cursorexporter.query;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * Asks the History board's kinds of question once, over its default 90 days, right after start. The first
 * question of each kind after a start paid for the JIT's first compilations of the store reads and the aggregation
 * and for the store connection's empty page cache: 110–461 ms for the first panel measured, where the same panel
 * later took 50 (BENCHMARKS.md, issue 13). The answers land in the answer cache like any other, so a board opened
 * with the default range before the next sync is answered from it.
 */
public final class DatasourceWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(DatasourceWarmup.class);
    /** The History board's default range. */
    static final int BOARD_DAYS = 90;

    private DatasourceWarmup() {
    }

    /** The questions, as the History board's panels ask them with every variable at "All". */
    static List<SeriesQuery> questions(LocalDate today) {
        LocalDate from = today.minusDays(BOARD_DAYS - 1L);
        return List.of(
                new SeriesQuery(from, today, 1, List.of(Dimension.TEAM), List.of(), false),
                new SeriesQuery(from, today, 1, List.of(Dimension.MODEL), List.of(), false),
                new SeriesQuery(from, today, 1, List.of(Dimension.LOCATION), List.of(), false),
                new SeriesQuery(from, today, 1, List.of(), List.of(), true),
                new SeriesQuery(from, today, 1, List.of(Dimension.TEAM), List.of(), true),
                new SeriesQuery(from, today, BOARD_DAYS, List.of(Dimension.USER, Dimension.TEAM), List.of(), false));
    }

    /** Runs them on a daemon thread of its own; a failure is logged and changes nothing. */
    public static Thread start(DatasourceQueries queries, Clock clock) {
        Thread t = new Thread(() -> run(queries, LocalDate.now(clock)), "datasource-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void run(DatasourceQueries queries, LocalDate today) {
        long started = System.nanoTime();
        try {
            for (SeriesQuery q : questions(today)) {
                queries.series(q);
            }
            LOG.info("datasource: the History board's questions answered once in {} ms (JIT and page cache warm)",
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("datasource warm-up stopped: {}", e.toString());
        }
    }
}

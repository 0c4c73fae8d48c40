package dev.cursorexporter.sync;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * What one run of a {@link SourceJob} is given: the account and its store, the clock, the day windows still to
 * read, and the checkpoints where the run stops for a shutdown or yields the account's one thread. Made anew for
 * every run by {@link AccountSync}; used on the sync thread only.
 */
final class JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);

    private final String account;
    private final Source source;
    private final StoreWriter store;
    private final WindowPlanner planner;
    private final Clock clock;
    private final boolean forced;
    private final boolean continuation;
    private final BooleanSupplier stopping;
    private final Duration slice;
    private final long startedNanos = System.nanoTime();
    private boolean yielded;

    /**
     * @param forced   a forced sync ({@code POST /admin/sync}): an Enterprise source stored as unavailable is
     *                 probed again
     * @param continuation the run continues one that yielded moments ago ({@link #timeToYield}): it plans the
     *                 backfill windows only, as that run read the look-back days (on a slow machine a 365-day
     *                 backfill took three runs, and re-reading the look-back each time cost 44 calls beyond the
     *                 minimum)
     * @param stopping true once a stop was requested
     * @param slice    how long a day-window run may keep the thread before it yields ({@link AccountSync#JOB_SLICE})
     */
    JobContext(String account, Source source, StoreWriter store, WindowPlanner planner, Clock clock, boolean forced,
               boolean continuation, BooleanSupplier stopping, Duration slice) {
        this.account = account;
        this.source = source;
        this.store = store;
        this.planner = planner;
        this.clock = clock;
        this.forced = forced;
        this.continuation = continuation;
        this.stopping = stopping;
        this.slice = slice;
    }

    String account() {
        return account;
    }

    Source source() {
        return source;
    }

    StoreWriter store() {
        return store;
    }

    boolean forced() {
        return forced;
    }

    Instant now() {
        return clock.instant();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** The first day of the backfill range ({@link WindowPlanner#firstDay}). */
    LocalDate backfillStart() {
        return planner.firstDay(today());
    }

    /**
     * The windows this run reads: the look-back days (not when continuing a yielded run) and every backfill day
     * the store does not cover yet.
     */
    List<DayWindow> plan() {
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, source));
        return continuation ? windows.stream().filter(DayWindow::final_).toList() : windows;
    }

    /** A point where the run may stop: throws {@link Stopped} once a stop was requested. */
    void checkpoint() {
        if (stopping.getAsBoolean()) {
            throw new Stopped();
        }
    }

    /**
     * True when the run has had its slice and windows are left: it then yields (everything so far is committed)
     * and {@link AccountSync} continues it as soon as the sources due meanwhile have run.
     *
     * @param done windows of {@code windows} read so far
     */
    boolean timeToYield(List<DayWindow> windows, int done) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        // only after a window that added coverage: the look-back windows come first and are re-read every run,
        // so yielding after them alone would never get the backfill further
        boolean progressed = windows.subList(0, done).stream().anyMatch(DayWindow::final_);
        int planned = windows.size();
        if (!progressed || done >= planned || elapsed.compareTo(slice) < 0) {
            return false;
        }
        yielded = true;
        LOG.info("{} {}: {} of {} windows in {} s; yielding to the other sources, continuing right after them",
                account, source.label(), done, planned, elapsed.toSeconds());
        return true;
    }

    /** Whether the run yielded with windows left ({@link #timeToYield}). */
    boolean yielded() {
        return yielded;
    }

    /**
     * An old window came back empty: Cursor retains less history than the backfill asks for (REFERENCE.md §1.10).
     * The days before it down to the backfill start are recorded as covered, empty, by {@code cover}, so they are
     * never asked for again, and this is logged once (the next poll no longer plans them).
     */
    void endBackfill(DayWindow empty, BiConsumer<LocalDate, LocalDate> cover) {
        LocalDate first = backfillStart();
        LocalDate last = empty.from().minusDays(1);
        if (last.isBefore(first)) {
            return;
        }
        cover.accept(first, last);
        LOG.info("{} {}: Cursor returned nothing for {}..{}; assuming it keeps no older history, the backfill ends "
                        + "there and {}..{} is recorded as empty", account, source.label(), empty.from(), empty.to(),
                first, last);
    }
}

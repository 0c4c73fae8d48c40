package dev.cursorexporter.sync;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A source read by day windows whose rows carry their own id, so a row read again replaces itself: each page is
 * stored as it comes (idempotent upserts) and a final window counts as covered only once all its pages are in.
 *
 * @param <T> the row the client hands over
 */
abstract class PagedWindowJob<T> implements SourceJob {

    /** Reads {@code from}..{@code to} (exact instants), every page, handing each to {@code pages}. */
    abstract void read(Instant from, Instant to, Consumer<List<T>> pages);

    /** Stores one page of window {@code w}; {@code cover} (with an empty page) records the window's days covered. */
    abstract void save(JobContext context, List<T> page, DayWindow w, boolean cover);

    /** What a row is, plural, for the log summary. */
    abstract String rowsName();

    @Override
    public final String run(JobContext context) {
        Instant now = context.now();
        List<DayWindow> windows = context.plan();
        AtomicLong rows = new AtomicLong();
        int done = 0;
        for (DayWindow w : windows) {
            context.checkpoint();
            if (context.timeToYield(windows, done)) {
                break;
            }
            read(w.start(), w.readUpTo(now), page -> {
                // pages are idempotent upserts and the window is covered only at its end: safe to stop between them
                context.checkpoint();
                save(context, page, w, false);
                rows.addAndGet(page.size());
            });
            if (w.final_()) {
                save(context, List.of(), w, true);
            }
            done++;
        }
        return done + " windows, " + rows.get() + " " + rowsName();
    }
}

package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.EventsRead;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.EventWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /teams/filtered-usage-events} by day windows. Pages go into an {@link EventWindow} as they arrive (a
 * 30-day window can be hundreds of pages) and the window is committed whole, replacing what is stored when the read
 * was complete (restated and re-classified events, REFERENCE.md Q21) and merging otherwise.
 */
final class UsageEventsJob implements SourceJob {
    private static final Logger LOG = LoggerFactory.getLogger(UsageEventsJob.class);

    private final CursorApi api;
    private final CounterEpoch epoch;

    UsageEventsJob(CursorApi api, CounterEpoch epoch) {
        this.api = api;
        this.epoch = epoch;
    }

    @Override
    public Source source() {
        return Source.USAGE_EVENTS;
    }

    @Override
    public String run(JobContext context) {
        epoch.ensureRecorded(context.backfillStart());
        String account = context.account();
        Instant now = context.now();
        List<DayWindow> windows = context.plan();
        AtomicLong events = new AtomicLong();
        int fetchedWindows = 0;
        for (DayWindow w : windows) {
            context.checkpoint();
            if (context.timeToYield(windows, fetchedWindows)) {
                break;
            }
            long before = events.get();
            Instant to = w.readUpTo(now);
            try (EventWindow window = context.store().openEventWindow(account, w.from(), w.to())) {
                EventsRead read = api.usageEvents(w.start(), to, page -> {
                    // a 30-day window can be hundreds of pages: give it up (uncommitted) rather than wait for it
                    context.checkpoint();
                    window.add(page);
                    events.addAndGet(page.size());
                });
                commit(account, window, w, to, read);
            }
            fetchedWindows++;
            if (w.final_() && events.get() == before) {
                context.endBackfill(w, (oldest, newest) -> {
                    try (EventWindow empty = context.store().openEventWindow(account, oldest, newest)) {
                        empty.commit(true);
                    }
                });
                break;
            }
        }
        return fetchedWindows + " windows, " + events.get() + " events";
    }

    /**
     * A complete read is Cursor's truth for the window's days and replaces what is stored; any other read is merged,
     * so it adds what it saw and erases nothing. A read that came back short or whose total moved while paging may
     * have skipped an event: its final days stay uncovered, to be read again at the next poll.
     */
    private static void commit(String account, EventWindow window, DayWindow w, Instant readUpTo, EventsRead read) {
        if (read.complete()) {
            window.commitReplacing(readUpTo, w.final_());
            return;
        }
        window.commit(w.final_() && read.nothingMissed());
        if (!read.nothingMissed()) {
            LOG.info("{} usage_events: {}..{} came back short or its total changed while paged ({} declared at first, "
                    + "{} rows read); merged what was read, reading it again at the next poll", account, w.from(), w.to(),
                    read.declared(), read.accepted() + read.refused() + read.outside());
        } else if (read.refused() > 0) {
            LOG.debug("{} usage_events: {} row(s) of {}..{} refused; merged instead of replacing, so their stored "
                    + "versions stay", account, read.refused(), w.from(), w.to());
        }
    }
}

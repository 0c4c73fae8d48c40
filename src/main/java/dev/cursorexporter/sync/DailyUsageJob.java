package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Source;

import java.util.List;

/**
 * {@code POST /teams/daily-usage-data} by day windows: the look-back days on every run, then the backfill, newest
 * first, each window committed with its coverage.
 */
final class DailyUsageJob implements SourceJob {
    private final CursorApi api;
    private final CounterEpoch epoch;

    DailyUsageJob(CursorApi api, CounterEpoch epoch) {
        this.api = api;
        this.epoch = epoch;
    }

    @Override
    public Source source() {
        return Source.DAILY_USAGE;
    }

    @Override
    public String run(JobContext context) {
        epoch.ensureRecorded(context.backfillStart());
        String account = context.account();
        List<DayWindow> windows = context.plan();
        long rows = 0;
        int fetchedWindows = 0;
        for (DayWindow w : windows) {
            context.checkpoint();
            if (context.timeToYield(windows, fetchedWindows)) {
                break;
            }
            List<DailyUsageRow> fetched = api.dailyUsage(w.from(), w.to());
            context.store().saveDailyUsage(account, fetched, w.from(), w.to(), w.final_());
            rows += fetched.size();
            fetchedWindows++;
            if (w.final_() && fetched.isEmpty()) {
                // Paginated daily usage has a row per member and day, active or not: nothing at all means Cursor
                // keeps no history this old, so older windows would be empty too.
                context.endBackfill(w, (from, to) -> context.store().saveDailyUsage(account, List.of(), from, to,
                        true));
                break;
            }
        }
        return fetchedWindows + " windows, " + rows + " rows";
    }
}

package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.BackfillRange;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How much of the backfill range each day-based source holds, from the coverage in the store: the days stored for
 * good plus the look-back days once a poll has read them. Cheap enough to compute on every snapshot and status call.
 */
public final class BackfillProgress {
    /**
     * @param daysCovered   days of the range stored (look-back days count once read)
     * @param daysTotal     days in the backfill range: {@code backfill_days} complete days plus today
     * @param oldestCovered oldest stored day in the range, if any
     */
    public record Progress(int daysCovered, int daysTotal, Optional<LocalDate> oldestCovered) {
        public double ratio() {
            return daysTotal == 0 ? 1.0 : (double) daysCovered / daysTotal;
        }
    }

    private final Store store;
    private final BackfillRange range;
    private final Clock clock;

    public BackfillProgress(Store store, BackfillRange range, Clock clock) {
        this.store = store;
        this.range = range;
        this.clock = clock;
    }

    public Map<Source, Progress> of(String account) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = range.firstDay(today);
        LocalDate firstRestatable = range.firstRestatableDay(today);
        Map<Source, SourceState> states = store.sourceStates(account);
        Map<Source, Progress> out = new EnumMap<>(Source.class);
        for (Source source : Source.backfilled()) {
            Set<LocalDate> covered = store.coveredDays(account, source);
            boolean lookbackRead = states.getOrDefault(source, SourceState.NEVER).lastSuccess() != null;
            int days = 0;
            LocalDate oldest = null;
            for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
                boolean stored = d.isBefore(firstRestatable) ? covered.contains(d) : lookbackRead;
                if (stored) {
                    days++;
                    oldest = oldest == null ? d : oldest;
                }
            }
            out.put(source, new Progress(days, range.rangeDays(), Optional.ofNullable(oldest)));
        }
        return out;
    }
}

package dev.cursorexporter.sync;

import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;

/**
 * The day one account's counters count event days from. Recorded before the first window of the first backfill of
 * either usage source ({@link WindowPlanner#firstDay}); the store keeps an epoch once recorded (or the earliest
 * stored day, for stores from before epochs), so a later, larger {@code backfill_days} fills history without raising
 * the counters. Sync thread only.
 */
final class CounterEpoch {
    private static final Logger LOG = LoggerFactory.getLogger(CounterEpoch.class);

    private final String account;
    private final StoreWriter store;
    private boolean recorded;

    CounterEpoch(String account, StoreWriter store) {
        this.account = account;
        this.store = store;
    }

    /** Records the epoch once per process (a no-op after the first call). */
    void ensureRecorded(LocalDate firstBackfillDay) {
        if (!recorded) {
            LocalDate epoch = store.startCounterEpoch(account, firstBackfillDay);
            recorded = true;
            LOG.info("{}: counters count event days from {} on (counter epoch)", account, epoch);
        }
    }
}

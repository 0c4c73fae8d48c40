package dev.cursorexporter.model;

import java.time.LocalDate;

/**
 * The days the day-window sources keep: the {@code backfillDays} complete UTC days before today plus today, which
 * is partial; of these, today and the {@code lookbackDays} days before it are read again on every poll because
 * Cursor restates them (REFERENCE.md Q13). The sync plans windows from it and the read side reports progress
 * against it, so both count the same days.
 */
public record BackfillRange(int backfillDays, int lookbackDays) {

    public BackfillRange {
        if (backfillDays < 1 || lookbackDays < 0) {
            throw new IllegalArgumentException("backfillDays >= 1, lookbackDays >= 0");
        }
    }

    /**
     * First day of the range: {@code backfillDays} complete UTC days before today, so that
     * {@code backfill_days: 30} holds the 30 full days before today; today (partial) comes on top.
     */
    public LocalDate firstDay(LocalDate today) {
        return today.minusDays(backfillDays);
    }

    /** Days in the range: the {@code backfillDays} complete days plus today. */
    public int rangeDays() {
        return backfillDays + 1;
    }

    /** First day re-read on every poll (today minus the look-back). */
    public LocalDate firstRestatableDay(LocalDate today) {
        return today.minusDays(lookbackDays);
    }
}

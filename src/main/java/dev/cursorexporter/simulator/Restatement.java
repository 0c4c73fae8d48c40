package dev.cursorexporter.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Late restatement of recent days, as Cursor does while it aggregates (REFERENCE.md §1.10, Q13): at level L every
 * member's events of the last {@code days} UTC days gain L late-counted copies of their first events, so daily
 * usage, usage events, spend and the simulator's own totals all rise together. The level rises to 1 once the clock
 * passes {@code at}, or is set by a test ({@link Simulator#restate(int)}), which may also lower it again. A test can
 * also correct events of those days as Cursor does when it finalises billing ({@link Simulator#correct(int)}).
 */
final class Restatement {
    private final int days;
    private final Optional<Instant> at;
    private final Clock clock;
    private volatile Integer manualLevel;
    private volatile int corrections;

    Restatement(int days, Optional<Instant> at, Clock clock) {
        this.days = days;
        this.at = at;
        this.clock = clock;
    }

    int days() {
        return days;
    }

    void setLevel(int level) {
        if (level < 0) {
            throw new IllegalArgumentException("restatement level must not be negative");
        }
        manualLevel = level;
    }

    /** How many of each member's charged events per restated day are corrected ({@link SimEvent#corrected}). */
    void setCorrections(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("corrections must not be negative");
        }
        corrections = count;
    }

    int corrections() {
        return corrections;
    }

    int level() {
        Integer manual = manualLevel;
        if (manual != null) {
            return manual;
        }
        return at.isPresent() && !clock.instant().isBefore(at.get()) ? 1 : 0;
    }

    /** Whether {@code epochDay} is one of the restated days when "now" is on {@code today}. */
    boolean restates(long epochDay, long today) {
        return days > 0 && epochDay <= today && epochDay > today - days;
    }
}

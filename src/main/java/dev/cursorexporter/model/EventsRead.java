package dev.cursorexporter.model;

/**
 * What one paged read of usage events returned, and whether it may stand for everything Cursor holds in the window
 * asked for (REFERENCE.md Q21: a complete re-read replaces the stored events of its days).
 *
 * @param accepted  events handed on
 * @param refused   rows refused for their values (negative, malformed, absurd): their stored versions must stay
 * @param outside   rows refused because their timestamp is outside the window: not part of it, so harmless
 * @param declared  {@code totalUsageEventsCount} of the first page, 0 when the answer did not say
 * @param drifted   whether a later page declared another total (a page that declares none is not counted):
 *                  events arrived or went while paging, so pages may have shifted (an event seen twice or not
 *                  at all)
 */
public record EventsRead(long accepted, long refused, long outside, long declared, boolean drifted) {

    /** No drift: pages did not shift under the read. */
    public boolean stable() {
        return !drifted;
    }

    /**
     * Stable and at least as many rows (accepted, refused or outside the window) as declared: nothing was skipped,
     * so the window's final days may be recorded as covered. An answer that declares no total cannot say.
     */
    public boolean nothingMissed() {
        return stable() && accepted + refused + outside >= declared;
    }

    /**
     * Nothing missed, a total declared, nothing refused for its values, and not empty: the accepted events are all
     * of the window's. An empty read never counts as complete, so an answer that suddenly holds nothing (a glitch,
     * a retention cut) cannot erase stored days; nor does a read without a declared total, which cannot show that
     * its pages ended where Cursor's do.
     */
    public boolean complete() {
        return nothingMissed() && declared > 0 && refused == 0 && accepted > 0;
    }
}

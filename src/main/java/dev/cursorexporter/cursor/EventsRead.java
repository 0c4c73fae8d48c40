package dev.cursorexporter.cursor;

/**
 * What one paged read of usage events returned, and whether it may stand for everything Cursor holds in the window
 * asked for (REFERENCE.md Q21: a complete re-read replaces the stored events of its days).
 *
 * @param accepted  events handed on
 * @param refused   rows refused for their values (negative, malformed, absurd): their stored versions must stay
 * @param outside   rows refused because their timestamp is outside the window: not part of it, so harmless
 * @param declared  {@code totalUsageEventsCount} of the first page, 0 when the answer did not say
 * @param drifted   whether a later page declared another total: events arrived or went while paging, so pages
 *                  may have shifted (an event seen twice or not at all)
 */
public record EventsRead(long accepted, long refused, long outside, long declared, boolean drifted) {

    /** No drift: pages did not shift under the read. A window read like this may be recorded as covered. */
    public boolean stable() {
        return !drifted;
    }

    /**
     * Stable, nothing refused for its values, as many rows as declared, and not empty: the accepted events are all
     * of the window's. An empty read never counts as complete, so an answer that suddenly holds nothing (a glitch,
     * a retention cut) cannot erase stored days.
     */
    public boolean complete() {
        return stable() && refused == 0 && accepted > 0 && (declared == 0 || accepted + outside >= declared);
    }
}

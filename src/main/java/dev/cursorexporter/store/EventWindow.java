package dev.cursorexporter.store;

import dev.cursorexporter.cursor.UsageEvent;

import java.util.List;

/**
 * One window of usage events being written. Within a window, identical events are counted (multiplicity); on
 * {@link #commit} each event hash is merged with what is stored as {@code max(stored, fetched)} multiplicity, so
 * re-reading an overlap never double-counts while genuinely repeated events still count as often as they occur.
 * Commit also marks the window's days covered for {@code usage_events} when asked. Closing without commit
 * discards the window.
 */
public interface EventWindow extends AutoCloseable {

    void add(List<UsageEvent> page);

    /** @param markCovered false for windows that include days Cursor may still restate (the look-back) */
    void commit(boolean markCovered);

    @Override
    void close();
}

package dev.cursorexporter.store;

import dev.cursorexporter.model.UsageEvent;

import java.time.Instant;
import java.util.List;

/**
 * One window of usage events being written. Within a window, identical events are counted (multiplicity). A
 * window is committed one of two ways:
 * <ul>
 *   <li>{@link #commit} merges: each event hash is stored as {@code max(stored, fetched)} multiplicity, so
 *       re-reading an overlap never double-counts while genuinely repeated events still count as often as they
 *       occur. Nothing stored goes away. For reads that may not be the whole truth (a page refused, totals that
 *       moved while paging).</li>
 *   <li>{@link #commitReplacing} replaces: the read was complete, so for every day of the window its events up to
 *       {@code readUpTo} are exactly the fetched ones (Cursor's restatements, REFERENCE.md Q21). Superseded
 *       versions are deleted; a figure that comes back lower is recorded as withdrawn, so the usage counters,
 *       which count stored plus withdrawn, never go down.</li>
 * </ul>
 * Either also marks the window's days covered for {@code usage_events} when asked. Closing without commit
 * discards the window.
 */
public interface EventWindow extends AutoCloseable {

    void add(List<UsageEvent> page);

    /** @param markCovered false for windows that include days Cursor may still restate (the look-back) */
    void commit(boolean markCovered);

    /**
     * @param readUpTo    the end of the read (inclusive): events of the window's last day after it are kept
     * @param markCovered as for {@link #commit}
     */
    void commitReplacing(Instant readUpTo, boolean markCovered);

    @Override
    void close();
}

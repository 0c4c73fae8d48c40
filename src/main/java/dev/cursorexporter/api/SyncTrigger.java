package dev.cursorexporter.api;

import dev.cursorexporter.model.Source;

/**
 * Queues a poll of one account ({@code POST /admin/sync}). The read side only asks for a poll and never waits for
 * it or sees the sync: what the poll brings shows up in the store like any other.
 */
@FunctionalInterface
public interface SyncTrigger {

    /** Queues a run of {@code source}, or of every source when null; returns at once. */
    void syncNow(Source source);
}

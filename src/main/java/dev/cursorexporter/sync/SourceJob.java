package dev.cursorexporter.sync;

import dev.cursorexporter.model.Source;

/**
 * Polls one source of one account once and writes what it read to the store. A job holds no schedule and no
 * retry: {@link AccountSync} runs it, and what a run needs (today, the plan, the store, the stop checkpoint) comes
 * in its {@link JobContext}. A failure is thrown; the last good data stays in the store.
 */
interface SourceJob {

    Source source();

    /** @return a short summary for the log, e.g. {@code "3 windows, 120 rows"} */
    String run(JobContext context);
}

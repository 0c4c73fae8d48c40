package dev.cursorexporter.store;

import java.time.Instant;

/**
 * Persisted state of one source of one account.
 *
 * @param lastSuccess  end of the last successful poll, or null
 * @param lastError    message of the last failure (never containing a secret), or null after a success
 * @param lastErrorAt  time of the last failure, or null
 */
public record SourceState(Instant lastSuccess, String lastError, Instant lastErrorAt) {
    public static final SourceState NEVER = new SourceState(null, null, null);
}

package dev.cursorexporter.store;

import java.time.Instant;

/**
 * Whether a plan-gated source was available to an account at its last probe.
 *
 * @param available false after a 401/403 answer
 * @param checkedAt when that answer came
 * @param reason    Cursor's message for an unavailable source (never containing a secret), else null
 */
public record SourceAvailability(boolean available, Instant checkedAt, String reason) {
}

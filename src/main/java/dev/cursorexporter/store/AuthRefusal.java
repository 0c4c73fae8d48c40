package dev.cursorexporter.store;

import java.time.Instant;

/**
 * Cursor refused the key on a core source.
 *
 * @param status   401 or 403
 * @param endpoint the path that was refused
 * @param message  the client's message (never containing a secret)
 */
public record AuthRefusal(int status, String endpoint, String message, Instant at) {
}

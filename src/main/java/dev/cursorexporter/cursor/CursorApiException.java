package dev.cursorexporter.cursor;

import java.time.Duration;
import java.util.Optional;

/**
 * A Cursor API call that failed for good (after retries). The message names the endpoint, the status and
 * Cursor's error message; it never contains the API key.
 */
public class CursorApiException extends RuntimeException {
    private final String endpoint;
    private final int status;
    private final Duration retryAfter;

    /** @param status the HTTP status, or 0 when there was no HTTP answer (timeout, connection, bad JSON) */
    public CursorApiException(String endpoint, int status, String message, Throwable cause) {
        this(endpoint, status, message, cause, null);
    }

    /** @param retryAfter Cursor's {@code Retry-After} on the last answer, or null */
    public CursorApiException(String endpoint, int status, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.endpoint = endpoint;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** How long Cursor asked to wait before the next call ({@code Retry-After} of the last answer), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public String endpoint() {
        return endpoint;
    }

    public int status() {
        return status;
    }

    /** 401 or 403: the key is wrong, lacks scope, or the plan lacks the feature (REFERENCE.md §1.9). */
    public boolean isNotPermitted() {
        return status == 401 || status == 403;
    }
}

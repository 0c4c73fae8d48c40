package dev.cursorexporter.cursor;

/**
 * Told about every HTTP exchange with Cursor, retries included, so the metrics plane can count them
 * ({@code cursor_exporter_api_requests_total{endpoint,code}}).
 */
@FunctionalInterface
public interface ApiCallListener {
    ApiCallListener NONE = (endpoint, code) -> { };

    /**
     * @param endpoint the path without base URL, e.g. {@code /teams/spend}
     * @param code     the HTTP status as a string, or {@code error} when no status was received
     */
    void onCall(String endpoint, String code);
}

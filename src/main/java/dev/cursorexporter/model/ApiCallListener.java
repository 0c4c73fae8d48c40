package dev.cursorexporter.model;

/**
 * Told about every HTTP exchange with Cursor, retries included, so the metrics plane can count them
 * ({@code cursor_exporter_api_requests_total{endpoint,code}}), and about the rows refused at the boundary
 * ({@code cursor_exporter_rejected_rows_total{source,reason}}).
 */
@FunctionalInterface
public interface ApiCallListener {
    ApiCallListener NONE = (endpoint, code) -> { };

    /**
     * @param endpoint the path without base URL, e.g. {@code /teams/spend}
     * @param code     the HTTP status as a string, or {@code error} when no status was received
     */
    void onCall(String endpoint, String code);

    /**
     * @param source the {@code source} label ({@link Source#label()})
     * @param reason one of the rejection reasons ({@code cursor.Rejection})
     * @param rows   rows refused by one call
     */
    default void onRejected(String source, String reason, int rows) {
    }
}

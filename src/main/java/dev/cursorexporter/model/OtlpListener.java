package dev.cursorexporter.model;

/**
 * Told about every request the OTLP receiver answers and what it left out, so the metrics plane can count them
 * ({@code cursor_exporter_otlp_requests_total{signal,code}}, {@code cursor_exporter_otlp_ignored_total{signal,reason}},
 * {@code cursor_exporter_otlp_duplicates_total}).
 */
public interface OtlpListener {
    OtlpListener NONE = new OtlpListener() {
    };

    /** @param code the HTTP status answered */
    default void onRequest(String signal, int code) {
    }

    /** Items (data points, log records, attributes) tolerated but not counted, by reason. */
    default void onIgnored(String signal, String reason, long items) {
    }

    /** Log records whose event id was already counted. */
    default void onDuplicates(long records) {
    }
}

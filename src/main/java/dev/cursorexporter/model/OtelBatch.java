package dev.cursorexporter.model;

import java.util.List;

/**
 * What one OTLP request brings to the store, applied in one transaction: all of it or nothing.
 *
 * @param signal     {@code metrics} or {@code logs}
 * @param increments metric deltas
 * @param logs       log records, de-duplicated by the store on their event id
 */
public record OtelBatch(String signal, List<OtelIncrement> increments, List<OtelLogRecord> logs) {
    public OtelBatch {
        increments = List.copyOf(increments);
        logs = List.copyOf(logs);
    }
}

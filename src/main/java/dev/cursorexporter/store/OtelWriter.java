package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelBatch;

import java.time.Instant;

/** The write side of the OTLP receiver's storage. */
public interface OtelWriter {
    /**
     * Applies one request in one transaction (all of it or nothing): adds the increments, counts each log record
     * whose event id was not seen in the de-duplication window, joins requests and billing corrections, records
     * the receipt time, and prunes ids older than the window now and then.
     *
     * @return how many log records were duplicates (not counted again)
     */
    int apply(OtelBatch batch, Instant receivedAt);
}

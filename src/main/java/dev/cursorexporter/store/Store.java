package dev.cursorexporter.store;

/**
 * The durable store: a {@link StoreWriter} for the sync and a {@link StoreReader} for the read side over the same
 * data. Only the wiring ({@code App}) and the store's own tests see both halves.
 */
public interface Store extends StoreReader, StoreWriter, AutoCloseable {

    @Override
    EnterpriseStore enterprise();

    @Override
    OtelStore otel();

    /** The hash user label's salt when none is configured; only the wiring reads it. */
    UserLabelSalts userLabelSalts();

    @Override
    void close();
}

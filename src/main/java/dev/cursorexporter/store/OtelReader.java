package dev.cursorexporter.store;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/** The read side of what the OTLP receiver stored. */
public interface OtelReader {
    /** Every durable OTel counter, handed to {@code sink} row by row. */
    void counters(Consumer<? super OtelCounter> sink);

    /** When each signal ({@code metrics}, {@code logs}) was last accepted; absent before the first. */
    Map<String, Instant> lastReceived();
}

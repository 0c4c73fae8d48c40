package dev.cursorexporter.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The read side of what the OTLP receiver stored. */
public interface OtelReader {
    /** Every durable OTel counter, handed to {@code sink} row by row. */
    void counters(Consumer<? super OtelCounter> sink);

    /**
     * The estimated cost per UTC day (of the data points' time) and identity, for days {@code from}..{@code to}
     * (inclusive), ordered by day; handed to {@code sink} row by row. Summed over the days it equals the cost
     * counters' increase since those days were received.
     */
    void dailyCost(LocalDate from, LocalDate to, Consumer<? super OtelDailyCost> sink);

    /** The newest UTC day any estimated cost was received for; empty before the first. */
    Optional<LocalDate> newestCostDay();

    /** When each signal ({@code metrics}, {@code logs}) was last accepted; absent before the first. */
    Map<String, Instant> lastReceived();
}

package dev.cursorexporter.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One amount to add to a durable OTel counter (a metric data point's delta).
 *
 * @param labels the values of {@link OtelFamily#dimensions()}, in that order
 * @param value  non-negative; micro-USD for {@link OtelFamily#COST}
 * @param day    the UTC day of the data point's time: event time, which the estimated cost is also kept by
 */
public record OtelIncrement(OtelFamily family, OtelIdentity who, List<String> labels, long value, LocalDate day) {
    public OtelIncrement {
        Objects.requireNonNull(day, "day");
        labels = List.copyOf(labels);
        if (labels.size() != family.dimensions().size()) {
            throw new IllegalArgumentException(family + " needs " + family.dimensions() + ", got " + labels);
        }
        if (value < 0) {
            throw new IllegalArgumentException("negative increment " + value);
        }
    }
}

package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;

import java.util.List;

/**
 * One durable OTel counter as stored.
 *
 * @param labels the values of {@link OtelFamily#dimensions()}, each admitted by the store's bounds or {@code other}
 * @param value  the running sum (micro-USD for {@link OtelFamily#COST})
 */
public record OtelCounter(OtelFamily family, OtelIdentity who, List<String> labels, long value) {
}

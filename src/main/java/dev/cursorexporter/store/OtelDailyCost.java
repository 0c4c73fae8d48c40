package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelIdentity;

import java.time.LocalDate;

/**
 * Cursor's estimated cost ({@code cursor.cost.usage}) of one identity on one UTC day, as stored.
 *
 * @param day      the UTC day of the data points' time
 * @param who      the identity as Cursor sent it (bounded like the counters' identities)
 * @param microUsd Σ the day's cost points, USD × 10^6
 */
public record OtelDailyCost(LocalDate day, OtelIdentity who, long microUsd) {
}

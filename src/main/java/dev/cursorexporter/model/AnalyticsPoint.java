package dev.cursorexporter.model;

import java.time.LocalDate;

/**
 * One number of an Analytics API row, flattened so that every metric fits one shape.
 *
 * @param day       the row's {@code date} / {@code event_date}
 * @param dimension what the row is about within the day: the model ({@code models}), the client version
 *                  ({@code client-versions}), or {@code ""} for metrics with one row per day
 * @param field     the row's field name as Cursor sends it, e.g. {@code dau}, {@code total_accepted_diffs},
 *                  {@code messages}, {@code user_count}
 * @param value     the integer value (Analytics counts are integers; fractions such as {@code percentage} are
 *                  derived and not kept)
 */
public record AnalyticsPoint(LocalDate day, String dimension, String field, long value) {
}

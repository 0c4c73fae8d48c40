package dev.cursorexporter.query;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A per-period question for the datasource: UTC days {@code from}..{@code to} (inclusive) cut into buckets of
 * {@code bucketDays} days starting at {@code from}, one row per bucket and group of the {@code by} dimensions,
 * restricted by {@code conditions}. Normalised on construction (dimensions in declaration order, conditions
 * sorted) so that equal questions are equal cache keys.
 *
 * @param activity also compute daily-usage activity (active users, lines, tabs). Daily usage has no model, so this
 *                 excludes grouping by model, and model conditions do not restrict the activity part.
 */
public record SeriesQuery(LocalDate from, LocalDate to, int bucketDays, List<Dimension> by,
                          List<Condition> conditions, boolean activity) {

    private static final Comparator<Condition> ORDER = Comparator.comparing(Condition::dimension)
            .thenComparing(Condition::operator).thenComparing(c -> String.join("\u0000", c.values()));

    public SeriesQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        if (bucketDays < 1) {
            throw new IllegalArgumentException("bucketDays must be at least 1");
        }
        by = by.stream().distinct().sorted().toList();
        conditions = conditions.stream().sorted(ORDER).toList();
        if (activity && by.stream().anyMatch(Dimension::usageOnly)) {
            throw new IllegalArgumentException("activity has no model, billing or actor dimension");
        }
    }

    /** Number of days from {@code from} to {@code to}, both included. */
    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    boolean constrains(Dimension dimension) {
        if (by.contains(dimension)) {
            return true;
        }
        for (Condition c : conditions) { // once per answer row: no stream
            if (c.dimension() == dimension) {
                return true;
            }
        }
        return false;
    }
}

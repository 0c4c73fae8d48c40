package dev.cursorexporter.metrics;

/**
 * What bounds the size of a snapshot, and so the memory of building and serving it, whatever the organisation's
 * size: see {@link LabelRanking} and {@link FamilyBuilder}.
 *
 * @param perMetric most series of one metric ({@code metrics.max_series_per_metric}), enforced while building
 * @param users     most {@code user} label values with series of their own ({@code metrics.max_users})
 * @param models    most {@code model} label values per account with series of their own ({@code metrics.max_models})
 */
public record SeriesLimits(int perMetric, int users, int models) {
    public SeriesLimits {
        if (perMetric < 1 || users < 1 || models < 1) {
            throw new IllegalArgumentException("series limits must be positive: per metric " + perMetric
                    + ", users " + users + ", models " + models);
        }
    }
}

package dev.cursorexporter.config;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Secret;

import java.util.Optional;

/**
 * The Prometheus plane's labels and limits (YAML {@code metrics:}).
 *
 * @param userLabel          {@code CURSOR_EXPORTER_USER_LABEL}, {@code metrics.user_label}
 * @param userLabelSalt      salt of the {@code hash} mode ({@code CURSOR_EXPORTER_USER_LABEL_SALT},
 *                           {@code metrics.user_label_salt}); required when the mode is {@code hash}
 * @param maxSeriesPerMetric cap on the series of one metric ({@code CURSOR_EXPORTER_MAX_SERIES_PER_METRIC},
 *                           {@code metrics.max_series_per_metric})
 */
public record MetricsConfig(UserLabelMode userLabel, Optional<Secret> userLabelSalt, int maxSeriesPerMetric) {
}

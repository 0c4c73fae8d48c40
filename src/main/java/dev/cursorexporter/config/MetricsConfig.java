package dev.cursorexporter.config;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Secret;

import java.util.Optional;

/**
 * The Prometheus plane's labels and limits (YAML {@code metrics:}).
 *
 * @param userLabel          {@code CURSOR_EXPORTER_USER_LABEL}, {@code metrics.user_label}
 * @param userLabelSalt      salt of the {@code hash} mode ({@code CURSOR_EXPORTER_USER_LABEL_SALT},
 *                           {@code metrics.user_label_salt}); when empty in {@code hash} mode the exporter
 *                           generates one at the first start and keeps it in the store
 * @param maxSeriesPerMetric cap on the series of one metric ({@code CURSOR_EXPORTER_MAX_SERIES_PER_METRIC},
 *                           {@code metrics.max_series_per_metric})
 * @param maxUsers           most user label values with series of their own, the largest spenders; the rest are
 *                           {@code user="other"} ({@code CURSOR_EXPORTER_MAX_USERS}, {@code metrics.max_users})
 * @param maxModels          most models per account with series of their own, by cost; the rest are
 *                           {@code model="other"} ({@code CURSOR_EXPORTER_MAX_MODELS}, {@code metrics.max_models})
 */
public record MetricsConfig(UserLabelMode userLabel, Optional<Secret> userLabelSalt, int maxSeriesPerMetric,
                            int maxUsers, int maxModels) {
}

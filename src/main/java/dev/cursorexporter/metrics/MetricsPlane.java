package dev.cursorexporter.metrics;

import dev.cursorexporter.cursor.ApiCallListener;
import dev.cursorexporter.directory.DirectoryReloader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Prometheus plane: Micrometer for the exporter's own instrumentation (API calls, build info) and the
 * snapshot collector for everything about Cursor, both in one client_java registry. A scrape only serialises
 * what is already in memory; it never touches the store or Cursor.
 */
public final class MetricsPlane {

    /** Names the snapshot may hold, declared up front so client_java rejects a clash at registration. */
    private static final List<String> SNAPSHOT_NAMES = List.of(
            "cursor_usage_cost_usd", "cursor_usage_requests", "cursor_usage_tokens", "cursor_cycle_spend_usd",
            "cursor_cycle_on_demand_spend_usd", "cursor_user_spend_limit_usd", "cursor_cycle_start_timestamp_seconds",
            "cursor_members", "cursor_active_users", "cursor_lines_added", "cursor_tab_completions",
            "cursor_feature_requests", "cursor_exporter_source_up",
            "cursor_exporter_source_last_success_timestamp_seconds", "cursor_exporter_source_available",
            "cursor_billing_group_spend_usd", "cursor_cycle_end_timestamp_seconds", "cursor_analytics_dau",
            "cursor_client_version_users", "cursor_model_messages", "cursor_agent_edits",
            "cursor_ai_code_lines_added", "cursor_ai_code_commits",
            "cursor_team_budget_usd", "cursor_team_cycle_spend_forecast_usd", SeriesCap.CAPPED_METRIC,
            "cursor_exporter_auth_failing", "cursor_exporter_backfill_covered_seconds",
            "cursor_exporter_backfill_progress_ratio");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicReference<MetricsSnapshot> snapshot = new AtomicReference<>(MetricsSnapshot.EMPTY);
    private final SnapshotBuilder builder;

    public MetricsPlane(SnapshotBuilder builder, String version, String mode) {
        this.builder = builder;
        registry.getPrometheusRegistry().register(new SnapshotCollector(snapshot::get, SNAPSHOT_NAMES));
        Gauge.builder("cursor.exporter.build.info", () -> 1)
                .description("Build of the running exporter; mode is live (polling Cursor) or demo (polling the built-in simulator).")
                .tags("version", version, "mode", mode)
                .strongReference(true)
                .register(registry);
    }

    /** Rebuilds the snapshot from the store; called after every sync job, never on a scrape. */
    public void refresh() {
        snapshot.set(builder.build());
    }

    public MetricsSnapshot current() {
        return snapshot.get();
    }

    /** Counts every Cursor API call into {@code cursor_exporter_api_requests_total{endpoint,code}}. */
    public ApiCallListener apiCallCounter() {
        return (endpoint, code) -> Counter.builder("cursor.exporter.api.requests")
                .description("Cursor API calls made by the exporter, by endpoint and HTTP status (error = no response); retries, 304 and 429 included.")
                .tags("endpoint", endpoint, "code", code)
                .register(registry)
                .increment();
    }

    /**
     * As {@link #apiCallCounter()} with an {@code account} tag, for exporters with several accounts (use one form or
     * the other in a process: a metric's label names are fixed).
     */
    public ApiCallListener apiCallCounter(String account) {
        return (endpoint, code) -> Counter.builder("cursor.exporter.api.requests")
                .description("Cursor API calls made by the exporter, by endpoint and HTTP status (error = no response); retries, 304 and 429 included.")
                .tags("account", account, "endpoint", endpoint, "code", code)
                .register(registry)
                .increment();
    }

    /**
     * Counts directory loads into {@code cursor_exporter_directory_reloads_total{result}} and shows the last
     * successful load in {@code cursor_exporter_directory_entries} and {@code cursor_exporter_directory_problem_rows}.
     */
    public DirectoryReloader.Listener directoryReloadListener() {
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger problems = new AtomicInteger();
        Gauge.builder("cursor.exporter.directory.entries", entries, AtomicInteger::get)
                .description("E-mails the directory CSV file assigns, as of its last successful load.")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cursor.exporter.directory.problem.rows", problems, AtomicInteger::get)
                .description("Rows of the directory CSV file skipped for problems (logged with line numbers) at its last successful load.")
                .strongReference(true)
                .register(registry);
        return (result, loadedEntries, problemRows) -> {
            if (result.equals("success")) {
                entries.set(loadedEntries);
                problems.set(problemRows);
            }
            Counter.builder("cursor.exporter.directory.reloads")
                    .description("Loads of the directory CSV file (at start and whenever it changes), by result (success, error).")
                    .tags("result", result)
                    .register(registry)
                    .increment();
        };
    }

    /** The scrape in the format the Accept header asks for (Prometheus text by default, OpenMetrics on request). */
    public Scrape scrape(String acceptHeader) {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.getPrometheusRegistry().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    public record Scrape(String contentType, byte[] body) {
    }
}

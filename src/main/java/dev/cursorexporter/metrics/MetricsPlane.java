package dev.cursorexporter.metrics;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.OtlpListener;
import dev.cursorexporter.directory.DirectoryReloader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The Prometheus plane: Micrometer for the exporter's own instrumentation (API calls, build info) and the
 * snapshot for everything about Cursor. The snapshot only changes after a sync job, so it is rendered to bytes
 * then, once per exposition format; a scrape writes those bytes and renders only the few Micrometer meters. It
 * never touches the store or Cursor.
 */
public final class MetricsPlane {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsPlane.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicReference<Rendered> rendered = new AtomicReference<>(render(MetricsSnapshot.EMPTY));
    private final SnapshotBuilder builder;
    private final Counter snapshotFailures;
    /** Whether a snapshot built from the store is served (until then only the exporter's own meters are). */
    private volatile boolean built;
    /** Seconds the last successful rebuild took (read by scrapes). */
    private volatile double lastBuildSeconds = Double.NaN;

    public MetricsPlane(SnapshotBuilder builder, String version, String mode) {
        this(builder, version, "unknown", mode);
    }

    /** @param revision the git commit the exporter was built from ("unknown" for a build outside git) */
    public MetricsPlane(SnapshotBuilder builder, String version, String revision, String mode) {
        this.builder = builder;
        StandardMetrics.register(registry.getPrometheusRegistry());
        this.snapshotFailures = Counter.builder("cursor.exporter.snapshot.failures")
                .description("Snapshot rebuilds that failed (logged); /metrics then keeps serving the last good snapshot.")
                .register(registry);
        Gauge.builder("cursor.exporter.build.info", () -> 1)
                .description("Build of the running exporter: its version, the git commit it was built from (unknown outside git), and mode live (polling Cursor) or demo (polling the built-in simulator).")
                .tags("version", version, "revision", revision, "mode", mode)
                .strongReference(true)
                .register(registry);
        // How old what /metrics serves is, and what a rebuild costs: a rebuild runs after every sync job (and OTLP
        // push), and while it runs the scrape shares the CPU and the heap with it.
        Gauge.builder("cursor.exporter.snapshot.built.timestamp.seconds", this, MetricsPlane::builtAtSeconds)
                .description("When the snapshot /metrics serves was built from the store (NaN before the first).")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cursor.exporter.snapshot.build.duration.seconds", () -> lastBuildSeconds)
                .description("How long the last successful snapshot rebuild took, rendering included.")
                .strongReference(true)
                .register(registry);
    }

    private double builtAtSeconds() {
        return built ? rendered.get().snapshot().builtAt().toEpochMilli() / 1000.0 : Double.NaN;
    }

    /**
     * Rebuilds the snapshot from the store; called after every sync job, never on a scrape. The text body is
     * rendered here too, so a snapshot that cannot be built or written is refused now (logged, counted in
     * {@code cursor_exporter_snapshot_failures_total}) and scrapes keep serving the last good one. One rebuild at a
     * time: each starts from the store as it is when it starts, so a later call never serves older data.
     */
    public synchronized void refresh() {
        long started = System.nanoTime();
        try {
            MetricsSnapshot snapshot = builder.build();
            Rendered next = render(snapshot);
            ExpositionFormatWriter text = formats.findWriter(null);
            next.bodies().put(text.getContentType(), snapshotBody(snapshot, text));
            // the previous snapshot and its bodies become garbage now, before the next build allocates its own
            rendered.set(next);
            lastBuildSeconds = (System.nanoTime() - started) / 1e9;
            built = true;
        } catch (RuntimeException e) {
            LOG.error("metrics snapshot not rebuilt, /metrics keeps the one built at {}: {}",
                    rendered.get().snapshot().builtAt(), e.toString());
            snapshotFailures.increment();
        }
    }

    /** True once a snapshot was built from the store: before that {@code /metrics} holds no Cursor series. */
    public boolean built() {
        return built;
    }

    public MetricsSnapshot current() {
        return rendered.get().snapshot();
    }

    /** A new snapshot; each format's body is rendered on the first scrape that asks for it, then reused. */
    private static Rendered render(MetricsSnapshot snapshot) {
        return new Rendered(snapshot, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    /**
     * The snapshot part of a text or OpenMetrics body, without OpenMetrics' closing "# EOF", one piece per family:
     * written family by family, so that neither the client_java copy of the whole snapshot nor one array of the
     * whole body (with a growing buffer's spare half) is ever held, which at the series limits is tens of MB.
     */
    private List<byte[]> snapshotBody(MetricsSnapshot snapshot, ExpositionFormatWriter writer) {
        List<byte[]> pieces = new ArrayList<>(snapshot.families().size());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        // in name order, as client_java's MetricSnapshots orders a whole snapshot
        List<MetricFamily> byName = snapshot.families().stream()
                .sorted(Comparator.comparing(MetricFamily::name)).toList();
        for (MetricFamily family : byName) {
            buffer.reset();
            write(writer, ClientSnapshots.of(List.of(family)), buffer);
            byte[] body = buffer.toByteArray();
            int eof = body.length - OPEN_METRICS_EOF.length;
            if (eof >= 0 && Arrays.equals(body, eof, body.length, OPEN_METRICS_EOF, 0, OPEN_METRICS_EOF.length)) {
                body = Arrays.copyOf(body, eof); // the Micrometer part written after it brings its own
            }
            pieces.add(body);
        }
        return List.copyOf(pieces);
    }

    private static final byte[] OPEN_METRICS_EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);

    private static byte[] write(ExpositionFormatWriter writer, MetricSnapshots metrics) {
        // every scrape writes the exporter's own meters (a few KB) here: no 64 KB buffer per scrape
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        write(writer, metrics, out);
        return out.toByteArray();
    }

    private static void write(ExpositionFormatWriter writer, MetricSnapshots metrics, ByteArrayOutputStream out) {
        try {
            writer.write(out, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param bodies  snapshot part per content type (text, OpenMetrics), filled as scrapes ask for them
     * @param gzipped the same compressed, filled as gzip scrapes ask for them
     */
    private record Rendered(MetricsSnapshot snapshot, Map<String, List<byte[]>> bodies,
                            Map<String, GzipBody> gzipped) {
    }

    /**
     * Counts every Cursor API call into {@code cursor_exporter_api_requests_total{endpoint,code}} and every row
     * refused at the boundary into {@code cursor_exporter_rejected_rows_total{source,reason}}.
     */
    public ApiCallListener apiCallCounter() {
        return new CallCounter(List.of());
    }

    /**
     * As {@link #apiCallCounter()} with an {@code account} tag, for exporters with several accounts (use one form or
     * the other in a process: a metric's label names are fixed).
     */
    public ApiCallListener apiCallCounter(String account) {
        return new CallCounter(List.of("account", account));
    }

    private final class CallCounter implements ApiCallListener {
        private final List<String> accountTag;

        CallCounter(List<String> accountTag) {
            this.accountTag = accountTag;
        }

        @Override
        public void onCall(String endpoint, String code) {
            Counter.builder("cursor.exporter.api.requests")
                    .description("Cursor API calls made by the exporter, by endpoint and HTTP status (error = no response); retries, 304 and 429 included.")
                    .tags(tags("endpoint", endpoint, "code", code))
                    .register(registry)
                    .increment();
        }

        @Override
        public void onRejected(String source, String reason, int rows) {
            Counter.builder("cursor.exporter.rejected.rows")
                    .description("Upstream rows refused at the boundary (missing key, malformed, negative or absurd values, outside the requested window, days after today); the rest of the page is stored. The first of each source and reason is logged.")
                    .tags(tags("source", source, "reason", reason))
                    .register(registry)
                    .increment(rows);
        }

        private String[] tags(String... pairs) {
            List<String> all = new ArrayList<>(accountTag);
            all.addAll(List.of(pairs));
            return all.toArray(String[]::new);
        }
    }

    /**
     * Counts the OTLP receiver's requests into {@code cursor_exporter_otlp_requests_total{signal,code}}, what it
     * tolerated without counting into {@code cursor_exporter_otlp_ignored_total{signal,reason}}, and re-sent log
     * records into {@code cursor_exporter_otlp_duplicates_total}. The duplicates counter is registered at once, so
     * it shows 0 before the first duplicate.
     */
    public OtlpListener otlpListener() {
        Counter duplicates = Counter.builder("cursor.exporter.otlp.duplicates")
                .description("OTLP log records not counted again because their cursor.event.id was already counted "
                        + "(Cursor retries logs for about 7 days).")
                .register(registry);
        return new OtlpListener() {
            @Override
            public void onRequest(String signal, int code) {
                Counter.builder("cursor.exporter.otlp.requests")
                        .description("Requests answered by the OTLP receiver, by signal (metrics, logs, other) and "
                                + "HTTP status.")
                        .tags("signal", signal, "code", Integer.toString(code))
                        .register(registry)
                        .increment();
            }

            @Override
            public void onIgnored(String signal, String reason, long items) {
                Counter.builder("cursor.exporter.otlp.ignored")
                        .description("Items the OTLP receiver tolerated without counting them, by reason: "
                                + "unknown_metric (data points), unknown_token_type, unknown_attribute (attributes), "
                                + "unknown_event (records, which are still counted by event), conversation_content "
                                + "(records dropped unstored: they carry prompt text).")
                        .tags("signal", signal, "reason", reason)
                        .register(registry)
                        .increment(items);
            }

            @Override
            public void onDuplicates(long records) {
                duplicates.increment(records);
            }
        };
    }

    /**
     * Says that the OTLP receiver runs, since when, and how long it may accept nothing before it counts as silent:
     * {@code cursor_exporter_otlp_enabled} 1, {@code cursor_exporter_otlp_started_timestamp_seconds} and
     * {@code cursor_exporter_otlp_silent_after_seconds}. Called once, when the receiver starts, so the three are
     * absent from an exporter whose receiver is off. With them an alert can tell "nothing received for too long"
     * from "not receiving at all", also before the first push, when
     * {@code cursor_exporter_otlp_last_received_timestamp_seconds} does not exist yet.
     */
    public void otlpReceiverStarted(Instant startedAt, Duration silentAfter) {
        double started = startedAt.toEpochMilli() / 1000.0;
        double silent = silentAfter.toMillis() / 1000.0;
        Gauge.builder("cursor.exporter.otlp.enabled", () -> 1)
                .description("1 while the OTLP receiver of Cursor's OpenTelemetry Export runs; absent when it is off "
                        + "(no OTLP token).")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cursor.exporter.otlp.started.timestamp.seconds", () -> started)
                .description("Unix time this process started the OTLP receiver; a receiver that never accepted a "
                        + "request has been silent since then.")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cursor.exporter.otlp.silent.after.seconds", () -> silent)
                .description("How long the OTLP receiver may accept nothing before it counts as silent "
                        + "(otlp.silent_after), in seconds; the CursorOtlpSilent alert compares with it.")
                .strongReference(true)
                .register(registry);
    }

    /**
     * {@code cursor_exporter_poller{account}}: 1 while this process polls the account, 0 while another replica on
     * the same PostgreSQL store does (or none can, the database being unreachable). Always 1 on SQLite.
     */
    public void pollerGauge(String account, BooleanSupplier polling) {
        Gauge.builder("cursor.exporter.poller", () -> polling.getAsBoolean() ? 1 : 0)
                .description("1 on the replica that polls this Cursor account now, 0 on the others (several replicas "
                        + "on one PostgreSQL store poll each account from one replica); always 1 on SQLite.")
                .tags("account", account)
                .strongReference(true)
                .register(registry);
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

    /**
     * Counts the exporter's HTTP answers into {@code cursor_exporter_http_requests_total{route,method,code}} and times
     * them into the histogram {@code cursor_exporter_http_request_duration_seconds{route,method}}. {@code route} is
     * the matched path template ({@code /api/v1/daily}, never a raw path), so the series stay bounded whatever
     * clients ask for.
     */
    public HttpRequestRecorder httpRequests() {
        return (route, method, code, seconds) -> {
            Counter.builder("cursor.exporter.http.requests")
                    .description("HTTP requests the exporter answered, by route (the matched path template; "
                            + HttpRequestRecorder.UNMATCHED + " for paths no route matched), method and status code.")
                    .tags("route", route, "method", method, "code", Integer.toString(code))
                    .register(registry)
                    .increment();
            Timer.builder("cursor.exporter.http.request.duration")
                    .description("Time from the request's arrival to the end of its answer, by route and method.")
                    .tags("route", route, "method", method)
                    .serviceLevelObjectives(HTTP_BUCKETS)
                    .register(registry)
                    .record(Duration.ofNanos((long) (seconds * 1e9)));
        };
    }

    /** Buckets of the request-duration histogram: a scrape takes milliseconds, a year of history seconds. */
    private static final Duration[] HTTP_BUCKETS = java.util.stream.DoubleStream
            .of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);

    /**
     * {@code cursor_exporter_config_last_reload_successful} (1 after start and after a reload that applied, 0 after
     * one that was refused) and {@code cursor_exporter_config_last_reload_success_timestamp_seconds}, as Prometheus
     * itself has them. {@code startedAt} counts as the first successful load.
     */
    public ConfigReloadListener configReloadListener(Instant startedAt) {
        AtomicInteger successful = new AtomicInteger(1);
        AtomicLong lastSuccessMillis = new AtomicLong(startedAt.toEpochMilli());
        Gauge.builder("cursor.exporter.config.last.reload.successful", successful, AtomicInteger::get)
                .description("1 when the last configuration reload (SIGHUP or POST /-/reload) applied, or none was "
                        + "asked since start; 0 when it was refused (invalid configuration, logged) and the running "
                        + "configuration was kept.")
                .strongReference(true)
                .register(registry);
        Gauge.builder("cursor.exporter.config.last.reload.success.timestamp.seconds", lastSuccessMillis,
                        millis -> millis.get() / 1000.0)
                .description("Unix time of the last configuration load that applied (the start, or a reload).")
                .strongReference(true)
                .register(registry);
        return (applied, at) -> {
            successful.set(applied ? 1 : 0);
            if (applied) {
                lastSuccessMillis.set(at.toEpochMilli());
            }
        };
    }

    /** Told about every configuration reload. */
    @FunctionalInterface
    public interface ConfigReloadListener {
        void reloaded(boolean applied, Instant at);
    }

    /** The scrape in the format the Accept header asks for (Prometheus text by default, OpenMetrics on request). */
    public Scrape scrape(String acceptHeader) {
        Parts parts = parts(acceptHeader);
        return new Scrape(parts.contentType(), parts.snapshotPieces(), parts.ownPart());
    }

    /**
     * As {@link #scrape}, gzip-compressed (what Prometheus asks for): the snapshot part is compressed once per
     * snapshot and format, only the exporter's own meters per scrape.
     */
    public GzipScrape gzipScrape(String acceptHeader) {
        Parts parts = parts(acceptHeader);
        GzipBody snapshotPart = parts.rendered() == null ? GzipBody.of(parts.snapshotPieces())
                : parts.rendered().gzipped().computeIfAbsent(parts.contentType(),
                        type -> GzipBody.of(parts.snapshotPieces()));
        return new GzipScrape(parts.contentType(), snapshotPart.followedBy(parts.ownPart()));
    }

    /**
     * The snapshot part (cached in {@code rendered} per format; for protobuf, rendered now with everything and
     * {@code rendered} null) and this scrape's own meters. Snapshot part and cache come from the same snapshot,
     * read once, so a rebuild meanwhile cannot pair one snapshot's body with another's cache.
     */
    private Parts parts(String acceptHeader) {
        ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
        Rendered current = rendered.get();
        MetricSnapshots own = registry.getPrometheusRegistry().scrape();
        String type = writer.getContentType();
        if (!type.startsWith("text/plain") && !type.startsWith("application/openmetrics-text")) {
            // protobuf, rarely asked for: render everything now rather than cache a binary body
            List<MetricSnapshot> all = new ArrayList<>();
            ClientSnapshots.of(current.snapshot().families()).forEach(all::add);
            own.forEach(all::add);
            return new Parts(type, null, List.of(write(writer, new MetricSnapshots(all))), new byte[0]);
        }
        List<byte[]> cached = current.bodies().computeIfAbsent(writer.getContentType(),
                contentType -> snapshotBody(current.snapshot(), writer));
        return new Parts(type, current, cached, write(writer, own));
    }

    private record Parts(String contentType, Rendered rendered, List<byte[]> snapshotPieces, byte[] ownPart) {
    }

    /** A gzip-compressed scrape: one gzip member, written piece by piece. */
    public record GzipScrape(String contentType, List<byte[]> pieces) {

        public InputStream stream() {
            return Scrape.concatenated(pieces);
        }
    }

    /**
     * One scrape: the shared pre-rendered snapshot part and this scrape's own Micrometer part, kept apart so a
     * scrape of a large organisation does not copy megabytes.
     */
    public record Scrape(String contentType, List<byte[]> snapshotPieces, byte[] ownPart) {

        public InputStream stream() {
            List<byte[]> all = new ArrayList<>(snapshotPieces.size() + 1);
            all.addAll(snapshotPieces);
            all.add(ownPart);
            return concatenated(all);
        }

        static InputStream concatenated(List<byte[]> pieces) {
            List<InputStream> parts = new ArrayList<>(pieces.size());
            pieces.forEach(piece -> parts.add(new ByteArrayInputStream(piece)));
            return new SequenceInputStream(Collections.enumeration(parts));
        }

        /** The whole body in one array (tests, tools). */
        public byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            snapshotPieces.forEach(out::writeBytes);
            out.writeBytes(ownPart);
            return out.toByteArray();
        }

        /** The snapshot part in one array (tests, tools). */
        public byte[] snapshotPart() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            snapshotPieces.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }
}

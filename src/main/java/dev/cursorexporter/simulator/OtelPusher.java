package dev.cursorexporter.simulator;

import com.google.protobuf.MessageLite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes {@link OtelExport}'s windows to a receiver the way Cursor's export does: {@code POST /v1/metrics} and
 * {@code /v1/logs} with a bearer token; a failed metrics push is not retried (at most once, so its window is a gap),
 * a failed logs push is sent again with the next one (at least once: the receiver de-duplicates). Logs go gzipped,
 * metrics not, so a receiver sees both. Thread-safe.
 */
public final class OtelPusher implements AutoCloseable {
    private static final long DAY_MS = 86_400_000L;
    private final OtelExport export;
    private final URI receiver;
    private final String token;
    private final LongSupplier clockMs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ScheduledExecutorService timer;
    private long metricsFromMs;
    private long logsFromMs;
    private OtelTruth accepted = OtelTruth.NONE;
    private int lastMetricsStatus;
    private int lastLogsStatus;

    /**
     * @param receiver base URL without {@code /v1}, as an admin enters it in Cursor
     * @param fromMs   the first push carries the events after this time
     */
    public OtelPusher(OtelExport export, URI receiver, String token, LongSupplier clockMs, long fromMs) {
        this.export = export;
        this.receiver = receiver;
        this.token = token;
        this.clockMs = clockMs;
        this.metricsFromMs = fromMs;
        this.logsFromMs = fromMs;
    }

    /** What the receiver accepted so far (2xx): the truth its counters must equal. */
    public synchronized OtelTruth accepted() {
        return accepted;
    }

    /** The HTTP status of the last window's metrics and logs pushes (0: connection failed, or none yet). */
    public synchronized int[] lastStatuses() {
        return new int[] {lastMetricsStatus, lastLogsStatus};
    }

    /**
     * Pushes what happened since the last push up to now, in windows that never span a UTC midnight: Cursor flushes
     * about every minute, so each delta it sends belongs to the day of its data points' time, and a catch-up over
     * days (the demo's history at start) goes out day by day likewise, each window's points timed at its end.
     */
    public synchronized void push() {
        long now = clockMs.getAsLong();
        do {
            long from = Math.min(metricsFromMs, now);
            pushUpTo(Math.min(now, lastMillisOfDay(from + 1)));
        } while (metricsFromMs < now);
    }

    /** The last millisecond of the UTC day of {@code epochMs}. */
    private static long lastMillisOfDay(long epochMs) {
        return (Math.floorDiv(epochMs, DAY_MS) + 1) * DAY_MS - 1;
    }

    /** Pushes the metrics of (last push, {@code to}] and the logs not yet accepted up to {@code to}. */
    private void pushUpTo(long to) {
        long metricsFrom = Math.min(metricsFromMs, to);
        OtelExport.Window metrics = export.window(metricsFrom, to);
        lastMetricsStatus = post("/v1/metrics", metrics.metrics(), false);
        metricsFromMs = to; // at most once: a failed window is not sent again
        if (ok(lastMetricsStatus)) {
            accepted = accepted.plus(metrics.truth().metricsPart());
        }
        long logsFrom = Math.min(logsFromMs, to);
        OtelExport.Window logs = logsFrom == metricsFrom ? metrics : export.window(logsFrom, to);
        lastLogsStatus = post("/v1/logs", logs.logs(), true);
        if (ok(lastLogsStatus)) {
            // Records of a window retried after a failure were not counted then; the receiver counts each once.
            accepted = accepted.plus(logs.truth().logsPart());
            logsFromMs = to;
        }
    }

    /** Pushes now and every {@code period} after that, until closed. */
    public synchronized OtelPusher start(Duration period) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "otel-pusher");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::pushQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void pushQuietly() {
        try {
            push();
        } catch (RuntimeException e) {
            // the next period tries again, as Cursor's export does
        }
    }

    private int post(String path, MessageLite message, boolean gzip) {
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver.resolve(receiver.getPath().replaceAll("/$", "")
                        + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + token);
        byte[] body = message.toByteArray();
        if (gzip) {
            request.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        try {
            return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}

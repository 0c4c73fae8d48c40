package dev.cursorexporter.testing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP requests as Cursor's exporter builds them (shared/cursor-api/OTEL-EXPORT.md), made with the official protobuf
 * classes, and a client posting them over real HTTP.
 */
public final class OtlpRequests {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final InstrumentationScope SCOPE = InstrumentationScope.newBuilder().setName("cursor.telemetry")
            .setVersion("0.1.0").build();

    private OtlpRequests() {
    }

    public static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    public static KeyValue num(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** The resource attributes of one team × user × surface, as Cursor sends them. */
    public static List<KeyValue> resource(String surface, KeyValue... user) {
        List<KeyValue> out = new ArrayList<>(List.of(str("service.name", "cursor"), num("cursor.team.id", 4242),
                str("cursor.surface", surface), str("cursor.entrypoint", surface)));
        out.addAll(List.of(user));
        return out;
    }

    public static ResourceMetrics resourceMetrics(List<KeyValue> resource, Metric... metrics) {
        return ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(SCOPE).addAllMetrics(List.of(metrics))).build();
    }

    /** A request whose points without a time of their own are timed now (the receiver refuses points without). */
    public static ExportMetricsServiceRequest metrics(ResourceMetrics... resources) {
        return metricsAt(Instant.now(), resources);
    }

    /**
     * A request whose points without a time of their own are timed {@code time}, a minute after their start, as
     * Cursor flushes: for a receiver whose clock is a test's. A point built by {@link #withoutTime} keeps none.
     */
    public static ExportMetricsServiceRequest metricsAt(Instant time, ResourceMetrics... resources) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        for (ResourceMetrics rm : resources) {
            ResourceMetrics.Builder r = rm.toBuilder();
            for (ScopeMetrics.Builder sm : r.getScopeMetricsBuilderList()) {
                for (Metric.Builder m : sm.getMetricsBuilderList()) {
                    if (m.hasSum()) {
                        for (NumberDataPoint.Builder p : m.getSumBuilder().getDataPointsBuilderList()) {
                            if (p.getTimeUnixNano() == 0 && p.getStartTimeUnixNano() == 0) {
                                p.setStartTimeUnixNano(nanos - 60_000_000_000L).setTimeUnixNano(nanos);
                            }
                        }
                    }
                }
            }
            request.addResourceMetrics(r);
        }
        return request.build();
    }

    /** {@code point} with its time set. */
    public static NumberDataPoint at(Instant time, NumberDataPoint point) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        return point.toBuilder().setStartTimeUnixNano(nanos - 60_000_000_000L).setTimeUnixNano(nanos).build();
    }

    /** {@code point} without a time (its start is set, so {@link #metricsAt} leaves it so). */
    public static NumberDataPoint withoutTime(NumberDataPoint point) {
        return point.toBuilder().setStartTimeUnixNano(1).setTimeUnixNano(0).build();
    }

    /** A monotonic sum with delta temporality, as every Cursor metric is. */
    public static Metric deltaSum(String name, NumberDataPoint... points) {
        return sum(name, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, points);
    }

    public static Metric sum(String name, AggregationTemporality temporality, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setAggregationTemporality(temporality)
                .setIsMonotonic(true).addAllDataPoints(List.of(points))).build();
    }

    /** A point without a time yet: the request it goes into gives it one ({@link #metrics}, {@link #metricsAt}). */
    public static NumberDataPoint point(long value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setAsInt(value).addAllAttributes(List.of(attributes)).build();
    }

    /** A point without a time yet, as {@link #point(long, KeyValue...)}. */
    public static NumberDataPoint point(double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setAsDouble(value).addAllAttributes(List.of(attributes)).build();
    }

    /** A log record whose event name travels in {@code event_name}. */
    public static LogRecord event(String name, String eventId, KeyValue... attributes) {
        LogRecord.Builder b = LogRecord.newBuilder().setEventName(name).setSeverityNumberValue(9)
                .setBody(AnyValue.newBuilder().setStringValue(name)).setTimeUnixNano(3);
        if (eventId != null) {
            b.addAttributes(str("cursor.event.id", eventId));
        }
        return b.addAllAttributes(List.of(attributes)).build();
    }

    public static ExportLogsServiceRequest logs(List<KeyValue> resource, LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeLogs(ScopeLogs.newBuilder().setScope(SCOPE).addAllLogRecords(List.of(records)))).build();
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** POSTs {@code body} to {@code path} on the receiver; header pairs follow. */
    public static HttpResponse<byte[]> post(int port, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.cursorexporter.otlp;

import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an OTLP metrics request into increments of the durable counters. Cursor sends only monotonic sums with
 * delta temporality; a data point of a known metric that is not one (cumulative, gauge, histogram), whose value is
 * negative or not finite, or whose time is missing or implausible, is rejected (adding it would count wrongly, or on
 * a day it cannot belong to); unknown metrics and unknown token types are tolerated and counted as ignored.
 */
final class MetricsDecoder {
    /** {@code cache_creation} is what the rest of the exporter calls {@code cache_write}. */
    private static final Map<String, String> TOKEN_TYPES = Map.of("input", "input", "output", "output",
            "cache_read", "cache_read", "cache_creation", "cache_write");
    /** Beyond any real delta of one series in one flush; a larger value is a sender's error. */
    private static final double MAX_DELTA = 1e13;
    /**
     * Largest cost one data point may carry, in USD: far above any real minute of a team, and low enough that the
     * counter, kept in micro-dollars in a 64-bit integer, cannot overflow from a hostile sender's pushes (9 million
     * of them at this cap).
     */
    private static final double MAX_COST_DELTA_USD = 1e6;
    /**
     * How old a data point's time may be at its receipt. Cursor exports within about a minute and never re-sends
     * metrics, and keeps its own telemetry about 7 days upstream; an older point is a sender's error, and the
     * receiver keeps what it counts per day by the point's time (event time), so a point from a day it cannot belong
     * to is refused rather than filed under a wrong one.
     */
    static final Duration MAX_AGE = Duration.ofDays(8);
    /** How far ahead of the receipt a point's time may be: clock skew between Cursor and this host, no more. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(10);

    record Decoded(List<OtelIncrement> increments, Tally tally) {
    }

    /** @param receivedAt when the request arrived: what a data point's time is judged against */
    Decoded decode(ExportMetricsServiceRequest request, Instant receivedAt) {
        Tally tally = new Tally();
        List<OtelIncrement> out = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            Sender sender = Sender.of(rm.getResource(), tally);
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                sm.getMetricsList().forEach(m -> decode(m, sender.who(), sender.surface(), receivedAt, tally, out));
            }
        }
        return new Decoded(out, tally);
    }

    private static void decode(Metric m, OtelIdentity who, String surface, Instant receivedAt, Tally tally,
                               List<OtelIncrement> out) {
        String name = m.getName();
        boolean known = name.equals(WireNames.TOKEN_USAGE) || name.equals(WireNames.COST_USAGE)
                || name.equals(WireNames.TOOL_CALLS);
        if (!known) {
            tally.ignore("unknown_metric", Math.max(1, points(m)));
            return;
        }
        if (!m.hasSum() || m.getSum().getAggregationTemporality()
                != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA || !m.getSum().getIsMonotonic()) {
            for (int i = points(m); i > 0; i--) {
                tally.reject(name + " is not a monotonic delta sum");
            }
            return;
        }
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
            if (p.getValueCase() == NumberDataPoint.ValueCase.VALUE_NOT_SET || !Double.isFinite(value)
                    || value < 0 || value > (name.equals(WireNames.COST_USAGE) ? MAX_COST_DELTA_USD : MAX_DELTA)) {
                tally.reject("a data point of " + name + " has no value, or a negative or absurd one");
                continue;
            }
            if (!plausible(p.getTimeUnixNano(), receivedAt)) {
                tally.reject("a data point of " + name + " has no time, or one more than " + MAX_AGE.toDays()
                        + " days before or " + MAX_AHEAD.toMinutes() + " minutes after its receipt");
                continue;
            }
            LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(0, p.getTimeUnixNano()), ZoneOffset.UTC);
            Attributes a = Attributes.of(p.getAttributesList());
            tally.ignore("unknown_attribute", a.unknown(WireNames.DATA_POINT));
            String model = a.stringOr(WireNames.MODEL, "unknown");
            switch (name) {
                case WireNames.TOKEN_USAGE -> {
                    String type = TOKEN_TYPES.get(a.string(WireNames.TOKEN_TYPE));
                    if (type == null) {
                        tally.ignore("unknown_token_type", 1);
                    } else {
                        out.add(new OtelIncrement(OtelFamily.TOKENS, who, List.of(surface, model, type),
                                whole(p, value), day));
                    }
                }
                case WireNames.COST_USAGE -> out.add(new OtelIncrement(OtelFamily.COST, who, List.of(surface, model),
                        BigDecimal.valueOf(value).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN)
                                .longValueExact(), day));
                default -> out.add(new OtelIncrement(OtelFamily.TOOL_CALLS, who, List.of(surface,
                        a.stringOr(WireNames.TOOL_KIND, "unknown"), a.stringOr(WireNames.TOOL_NAME, "unknown"),
                        a.stringOr(WireNames.TOOL_STATUS, "unknown"), a.stringOr(WireNames.MCP_SERVER, "none")),
                        whole(p, value), day));
            }
        }
    }

    /**
     * Whether a point's {@code time_unix_nano} (required by OTLP; 0 = not sent) lies within {@link #MAX_AGE} before
     * and {@link #MAX_AHEAD} after the receipt. The field is an unsigned 64-bit value: a negative long is past 2262.
     */
    private static boolean plausible(long timeUnixNano, Instant receivedAt) {
        if (timeUnixNano <= 0) {
            return false;
        }
        Instant time = Instant.ofEpochSecond(0, timeUnixNano);
        return !time.isBefore(receivedAt.minus(MAX_AGE)) && !time.isAfter(receivedAt.plus(MAX_AHEAD));
    }

    /** A count: the int value, or a double rounded (Cursor sends counts as ints; a double is tolerated). */
    private static long whole(NumberDataPoint p, double value) {
        return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : Math.round(value);
    }

    private static int points(Metric m) {
        return switch (m.getDataCase()) {
            case SUM -> m.getSum().getDataPointsCount();
            case GAUGE -> m.getGauge().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
        };
    }
}

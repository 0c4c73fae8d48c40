package dev.cursorexporter.otlp;

import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.testing.OtlpRequests;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static dev.cursorexporter.testing.OtlpRequests.deltaSum;
import static dev.cursorexporter.testing.OtlpRequests.point;
import static dev.cursorexporter.testing.OtlpRequests.resource;
import static dev.cursorexporter.testing.OtlpRequests.resourceMetrics;
import static dev.cursorexporter.testing.OtlpRequests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Event time: an increment's day is the UTC day of its data point's time, not of the request's receipt. */
class MetricsDecoderTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T00:04:00Z");

    @Test
    void anIncrementBelongsToTheUtcDayOfItsDataPoint() {
        ExportMetricsServiceRequest request = OtlpRequests.metricsAt(RECEIVED, resourceMetrics(
                resource("desktop", str("cursor.user.email", "ana@acme.io")),
                deltaSum("cursor.cost.usage",
                        OtlpRequests.at(Instant.parse("2026-11-20T23:59:59.999999999Z"), point(1.5,
                                str("cursor.model.name", "gpt-5"))),
                        OtlpRequests.at(Instant.parse("2026-11-21T00:00:00Z"), point(0.25,
                                str("cursor.model.name", "gpt-5"))),
                        OtlpRequests.at(Instant.parse("2026-11-14T09:00:00Z"), point(2.0,
                                str("cursor.model.name", "gpt-5")))),
                deltaSum("cursor.token.usage", point(7, str("cursor.token.type", "input")))));
        MetricsDecoder.Decoded d = new MetricsDecoder().decode(request, RECEIVED);
        assertEquals(0, d.tally().rejected());
        List<OtelIncrement> cost = d.increments().stream().filter(i -> i.family() == OtelFamily.COST).toList();
        assertEquals(List.of(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-21"),
                LocalDate.parse("2026-11-14")), cost.stream().map(OtelIncrement::day).toList());
        assertEquals(List.of(1_500_000L, 250_000L, 2_000_000L), cost.stream().map(OtelIncrement::value).toList());
        assertEquals(List.of(LocalDate.parse("2026-11-21")), d.increments().stream()
                .filter(i -> i.family() == OtelFamily.TOKENS).map(OtelIncrement::day).toList());
    }
}

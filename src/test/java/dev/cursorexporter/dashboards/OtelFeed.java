package dev.cursorexporter.dashboards;

import dev.cursorexporter.simulator.OtelPusher;
import dev.cursorexporter.simulator.OtelTruth;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.testing.OtlpRequests;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A simulator's OpenTelemetry Export pushed to an exporter's OTLP receiver in two parts, for the live board's tests:
 * the first part makes every {@code cursor_otel_*} series exist before Prometheus scrapes, the second raises them
 * while it does, so that rates (and the shares computed from them) have something to show. The first part also
 * carries one {@code cursor.conversation.*} record, which the receiver drops and counts as ignored.
 */
final class OtelFeed implements AutoCloseable {
    private final OtelPusher pusher;
    private final AtomicLong now;
    private final int port;
    private final String token;
    private final long splitMs;
    private final long toMs;

    /** Pushes {@code (fromMs, splitMs]} with {@link #first()} and {@code (splitMs, toMs]} with {@link #second()}. */
    OtelFeed(Simulator sim, int port, String token, long fromMs, long splitMs, long toMs) {
        this.now = new AtomicLong(fromMs);
        this.port = port;
        this.token = token;
        this.splitMs = splitMs;
        this.toMs = toMs;
        this.pusher = new OtelPusher(sim.otelExport(), URI.create("http://127.0.0.1:" + port + "/"), token, now::get,
                fromMs);
    }

    void first() {
        now.set(splitMs);
        pusher.push();
        assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses(), "first part accepted");
        byte[] conversation = OtlpRequests.logs(OtlpRequests.resource("desktop"), OtlpRequests.event(
                "cursor.conversation.prompt", "dashboard-test-conversation", OtlpRequests.str("prompt", "hi")))
                .toByteArray();
        HttpResponse<byte[]> answer = OtlpRequests.post(port, "/v1/logs", conversation,
                "Authorization", "Bearer " + token, "Content-Type", "application/x-protobuf");
        assertEquals(200, answer.statusCode(), "a conversation record is accepted and dropped");
    }

    void second() {
        now.set(toMs);
        pusher.push();
        assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses(), "second part accepted");
    }

    /** What the receiver accepted of the simulator's windows. */
    OtelTruth accepted() {
        return pusher.accepted();
    }

    @Override
    public void close() {
        pusher.close();
    }
}

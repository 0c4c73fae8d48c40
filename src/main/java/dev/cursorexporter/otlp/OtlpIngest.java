package dev.cursorexporter.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtlpListener;
import dev.cursorexporter.store.OtelWriter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * From a decoded-from-the-wire OTLP request body to the store and back to the answer's body: parse with the official
 * classes, decode, apply in one store transaction, report what was ignored and duplicated, and ask for a snapshot
 * rebuild (which runs elsewhere, never in this request). Thread-safe: nothing is kept between requests.
 */
public final class OtlpIngest {
    public static final String METRICS = "metrics";
    public static final String LOGS = "logs";

    private final OtelWriter store;
    private final OtlpListener listener;
    private final Runnable onStored;
    private final Clock clock;
    private final MetricsDecoder metrics = new MetricsDecoder();
    private final LogsDecoder logs = new LogsDecoder();

    /** @param onStored called after each applied request: marks the snapshot for a rebuild, returns at once */
    public OtlpIngest(OtelWriter store, OtlpListener listener, Runnable onStored, Clock clock) {
        this.store = store;
        this.listener = listener;
        this.onStored = onStored;
        this.clock = clock;
    }

    /** The body is not an OTLP request of that signal (answered 400). */
    public static final class Unparsable extends Exception {
        Unparsable(String signal, InvalidProtocolBufferException cause) {
            super("not an OTLP " + signal + " request in binary protobuf: " + cause.getMessage(), null, false,
                    false);
        }
    }

    /** @return the serialized {@code ExportMetricsServiceResponse} */
    public byte[] metrics(byte[] body) throws Unparsable {
        Instant receivedAt = clock.instant();
        MetricsDecoder.Decoded d = metrics.decode(parse(METRICS, ExportMetricsServiceRequest.parser(), body),
                receivedAt);
        apply(new OtelBatch(METRICS, d.increments(), List.of()), d.tally(), receivedAt);
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (d.tally().rejected() > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(d.tally().rejected()).setErrorMessage(d.tally().message()));
        }
        return response.build().toByteArray();
    }

    /** @return the serialized {@code ExportLogsServiceResponse} */
    public byte[] logs(byte[] body) throws Unparsable {
        LogsDecoder.Decoded d = logs.decode(parse(LOGS, ExportLogsServiceRequest.parser(), body));
        apply(new OtelBatch(LOGS, List.of(), d.records()), d.tally(), clock.instant());
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (d.tally().rejected() > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(d.tally().rejected()).setErrorMessage(d.tally().message()));
        }
        return response.build().toByteArray();
    }

    private static <T> T parse(String signal, Parser<T> parser, byte[] body) throws Unparsable {
        try {
            return parser.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new Unparsable(signal, e);
        }
    }

    private void apply(OtelBatch batch, Tally tally, Instant receivedAt) {
        int duplicates = store.apply(batch, receivedAt);
        tally.ignored().forEach((reason, items) -> listener.onIgnored(batch.signal(), reason, items));
        if (duplicates > 0) {
            listener.onDuplicates(duplicates);
        }
        onStored.run();
    }
}

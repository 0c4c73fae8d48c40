package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two stores on one real PostgreSQL database, as two replicas: what one writes (the end of a sync job, an OTLP
 * request) the other's watch notices at its next read, once; its own writes it was told about are not reported.
 */
class StoreChangeWatchTest {

    @Test
    void aPeersSyncAndPushAreNoticedOnceAndOwnWritesNotAgain() {
        PostgresStores.Fresh database = new PostgresStores.Fresh();
        try (SqliteStore poller = database.open(); SqliteStore reader = database.open()) {
            AtomicInteger synced = new AtomicInteger();
            AtomicInteger pushed = new AtomicInteger();
            try (StoreChangeWatch watch = new StoreChangeWatch(reader, List.of("acme"), synced::incrementAndGet,
                    pushed::incrementAndGet)) {
                watch.start(java.time.Duration.ofHours(1)); // reads driven by the test
                watch.check();
                assertEquals(0, synced.get(), "nothing written yet");

                poller.saveSourceState("acme", Source.MEMBERS, new SourceState(Instant.parse("2026-03-01T10:00:00Z"),
                        null, null));
                watch.check();
                watch.check();
                assertEquals(1, synced.get(), "the peer's sync job is noticed once");
                assertEquals(0, pushed.get());

                poller.saveSourceState("acme", Source.MEMBERS, new SourceState(Instant.parse("2026-03-01T10:00:00Z"),
                        "HTTP 500", Instant.parse("2026-03-01T10:05:00Z")));
                watch.check();
                assertEquals(2, synced.get(), "a failed job moves the marker too");

                poller.otel().apply(new dev.cursorexporter.model.OtelBatch("metrics", List.of(), List.of()),
                        Instant.parse("2026-03-01T10:06:00Z"));
                watch.check();
                assertEquals(1, pushed.get(), "an OTLP request stored by the peer is noticed");
                assertEquals(2, synced.get());

                reader.saveSourceState("acme", Source.SPEND, new SourceState(Instant.parse("2026-03-01T10:07:00Z"),
                        null, null));
                watch.seenSync();
                watch.check();
                assertEquals(2, synced.get(), "this process's own job, already refreshed for, is not reported");
            }
        }
    }
}

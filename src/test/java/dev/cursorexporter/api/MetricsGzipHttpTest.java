package dev.cursorexporter.api;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Exposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code /metrics} over real HTTP: gzip when the client lists it (as Prometheus always does), plain otherwise. */
class MetricsGzipHttpTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "Accept-Encoding: {0} -> gzip {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip|true", "GZIP|true", "deflate, gzip;q=0.5|true", "x-gzip|true", "*|true", "br;q=1.0, *;q=0.1|true",
            "gzip;q=0|false", "gzip; q=0.0|false", "identity|false", "deflate|false", "''|false", "gzip;q=abc|false"})
    void gzipOnlyWhenListedWithAWeightAboveZero(String header, boolean gzip) {
        assertEquals(gzip, AcceptEncoding.allowsGzip(header.equals("''") ? "" : header));
        assertEquals(false, AcceptEncoding.allowsGzip(null));
    }

    @Test
    void prometheusGetsOneGzipBodyThatInflatesToThePlainScrape(@TempDir Path dir) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SqliteStore store = SqliteStore.open(dir)) {
            UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
            MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"),
                    () -> Directory.EMPTY, labeler, CLOCK), "test", "live");
            metrics.refresh();
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY, labeler,
                    CLOCK);
            try (HttpServer server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live", Optional.empty(),
                    queries).start()) {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
                String openMetrics = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
                for (String accept : new String[]{"*/*", openMetrics}) {
                    HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(uri).header("Accept", accept)
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(uri).header("Accept", accept)
                            .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, zipped.statusCode());
                    assertEquals(Optional.empty(), plain.headers().firstValue("Content-Encoding"));
                    assertEquals(Optional.of("gzip"), zipped.headers().firstValue("Content-Encoding"));
                    assertEquals(Optional.of("Accept-Encoding"), zipped.headers().firstValue("Vary"));
                    assertEquals(plain.headers().firstValue("Content-Type"),
                            zipped.headers().firstValue("Content-Type"));
                    // inflated once: neither Javalin nor Jetty compressed it a second time
                    byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
                    assertEquals(Exposition.withoutMovingParts(new String(plain.body(), StandardCharsets.UTF_8)),
                            Exposition.withoutMovingParts(new String(inflated, StandardCharsets.UTF_8)));
                }
                HttpResponse<byte[]> refused = client.send(HttpRequest.newBuilder(uri)
                        .header("Accept-Encoding", "gzip;q=0").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(Optional.empty(), refused.headers().firstValue("Content-Encoding"));
            }
        }
    }
}

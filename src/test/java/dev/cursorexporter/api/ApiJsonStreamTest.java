package dev.cursorexporter.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ApiJson#stream} on a real Javalin server: the mapper's number format, that
 * the answer is sent while it is written, and what a failing writer sends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiJsonStreamTest {
    private static final int LONG_ROWS = 20_000;

    private final CountDownLatch clientHasFirstBytes = new CountDownLatch(1);
    private Javalin app;
    private final CountDownLatch endlessDone = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> endlessThrew = new AtomicReference<>();

    @BeforeAll
    void start() {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/money", ctx -> ApiJson.stream(ctx, json -> {
                json.writeStartArray();
                json.writeNumber(new BigDecimal("1E-7"));
                json.writeNumber(new BigDecimal("1E+2"));
                json.writeNumber(new BigDecimal("12.50"));
                json.writeEndArray();
            }));
            cfg.routes.get("/broken", ctx -> ApiJson.stream(ctx, json -> {
                json.writeStartArray();
                json.writeNumber(1);
                throw new IllegalStateException("broken writer");
            }));
            cfg.routes.get("/long", ctx -> ApiJson.stream(ctx, json -> {
                json.writeStartArray();
                for (int i = 0; i < LONG_ROWS; i++) {
                    if (i == LONG_ROWS / 2 && !clientHasFirstBytes()) {
                        throw new IllegalStateException("the client saw nothing of the first half");
                    }
                    json.writeStartObject();
                    json.writeNumberField("row", i);
                    json.writeStringField("padding", "x".repeat(40));
                    json.writeEndObject();
                }
                json.writeEndArray();
            }));
            cfg.routes.get("/misuse", ctx -> ApiJson.stream(ctx, json -> {
                json.writeStartObject();
                json.writeNumber(1); // a value where a field name is due: our bug, not the client's
            }));
            cfg.routes.get("/endless", ctx -> {
                try {
                    ApiJson.stream(ctx, json -> {
                        json.writeStartArray();
                        for (int i = 0; i < 1_000_000; i++) {
                            json.writeString("x".repeat(60));
                        }
                        json.writeEndArray();
                    });
                } catch (RuntimeException e) {
                    endlessThrew.set(e);
                } finally {
                    endlessDone.countDown();
                }
            });
            cfg.routes.exception(IllegalStateException.class, (e, ctx) -> ctx.status(500).result(e.getMessage()));
        }).start("127.0.0.1", 0);
    }

    /** Waits, at most a generous while, for the client's signal. */
    private boolean clientHasFirstBytes() {
        try {
            return clientHasFirstBytes.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @AfterAll
    void stop() {
        app.stop();
    }

    @Test
    void moneyIsWrittenInPlainNotationAsTheMapperIsConfigured() {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + app.port() + "/money");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("[0.0000001,100,12.50]", r.body());
    }

    /**
     * The writer stops half-way until the client has received the answer's first bytes: that only finishes if
     * the first half was sent before the second was written, i.e. the answer is never held whole.
     */
    @Test
    void theAnswerReachesTheClientWhileItIsStillBeingWritten() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/long")).build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            byte[] first = body.readNBytes(8);
            clientHasFirstBytes.countDown();
            assertEquals(200, r.statusCode());
            JsonNode rows = JsonHttp.MAPPER.readTree(new SequenceInputStream(new ByteArrayInputStream(first), body));
            assertEquals(LONG_ROWS, rows.size());
            assertEquals(LONG_ROWS - 1, rows.get(LONG_ROWS - 1).get("row").asInt());
        }
    }

    /** Grafana cancels the queries of a refreshed dashboard: a client gone mid-answer is not an exporter error. */
    @Test
    void aClientGoneMidAnswerEndsTheAnswerQuietly() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200", new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
            socket.setSoLinger(true, 0); // reset, as a cancelled request does
        }
        assertTrue(endlessDone.await(30, TimeUnit.SECONDS), "the handler returned");
        assertNull(endlessThrew.get(), "no exception reached Javalin's handlers");
        assertEquals(200, Http.get("http://127.0.0.1:" + app.port() + "/money").statusCode());
    }

    @Test
    void misusingTheGeneratorIsAnErrorNotAQuietlyCutAnswer() {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + app.port() + "/misuse");
        assertEquals(500, r.statusCode());
        assertEquals("answer not serialisable", r.body());
    }

    @Test
    void whatAFailingWriterStillBuffersIsDroppedNotCompletedIntoJson() {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + app.port() + "/broken");
        assertEquals(500, r.statusCode());
        assertEquals("broken writer", r.body());
    }
}

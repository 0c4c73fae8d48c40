package dev.cursorexporter.api;

import dev.cursorexporter.testing.Http;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ApiJson#stream} on a real Javalin server: the mapper's number format, and what a failing writer sends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiJsonStreamTest {
    private Javalin app;

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
            cfg.routes.exception(IllegalStateException.class, (e, ctx) -> ctx.status(500).result(e.getMessage()));
        }).start("127.0.0.1", 0);
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

    @Test
    void whatAFailingWriterStillBuffersIsDroppedNotCompletedIntoJson() {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + app.port() + "/broken");
        assertEquals(500, r.statusCode());
        assertEquals("broken writer", r.body());
    }
}

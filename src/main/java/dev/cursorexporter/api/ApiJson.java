package dev.cursorexporter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * JSON in and out for the datasource endpoints. Money is written from exact decimals in plain notation (never
 * {@code 1E+2}); request bodies are read strictly (no trailing garbage) into trees, so every type error can name
 * its JSON path. Big answers are streamed: written token by token straight to the response, so that neither a tree
 * of maps nor the whole text is ever held in memory.
 */
final class ApiJson {
    private static final Logger LOG = LoggerFactory.getLogger(ApiJson.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ApiJson() {
    }

    /** @param where prefix of the error message, e.g. {@code "targets[0].payload: "} */
    static JsonNode tree(String text, String where) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadRequest(where + (e.getLocation() == null ? "malformed JSON"
                    : "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
    }

    static void send(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    /** Writes one JSON answer, token by token. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Writes the answer straight to the response as {@code body} produces it. Call it only once everything that
     * can refuse the request (validation, the queries) has run: once bytes are sent, the status can no longer
     * become a 400. If {@code body} fails, what it wrote but Jackson still buffers is dropped rather than
     * flushed, and open arrays are not closed, so that a broken answer is never completed into valid JSON.
     */
    static void stream(Context ctx, Writer body) {
        stream(ctx, body, 0, bytes -> { });
    }

    /**
     * {@link #stream(Context, Writer)}, but an answer of at most {@code keepUpTo} bytes is written whole once
     * complete and first handed to {@code keep} (to send it again without writing it again); a larger one is
     * streamed from the point it passes the limit, and {@code keep} is not called.
     */
    static void stream(Context ctx, Writer body, int keepUpTo, Consumer<byte[]> keep) {
        ctx.contentType("application/json");
        try {
            // Javalin closes (and finishes the compression of) its response stream after the handler
            HeldOutput out = new HeldOutput(ctx::outputStream, keepUpTo);
            JsonGenerator json = MAPPER.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            body.write(json);
            json.close();
            byte[] whole = out.heldBytes();
            if (whole != null) {
                keep.accept(whole);
                ctx.outputStream().write(whole);
            }
        } catch (JsonProcessingException e) { // an IOException too, but our bug, not the client gone
            throw new IllegalStateException("answer not serialisable", e);
        } catch (IOException e) {
            clientGone(ctx, e);
        }
    }

    /** An answer written before by {@link #stream(Context, Writer, int, Consumer)}, as it was written. */
    static void sendKept(Context ctx, byte[] json) {
        ctx.contentType("application/json");
        try {
            ctx.outputStream().write(json);
        } catch (IOException e) {
            clientGone(ctx, e);
        }
    }

    /**
     * Almost always the client gone (Grafana cancels the queries of a refreshed dashboard): nothing to answer any
     * more, and not an error of the exporter.
     */
    private static void clientGone(Context ctx, IOException e) {
        LOG.debug("{} {}: answer not sent completely: {}", ctx.method(), ctx.path(), e.toString());
    }

    /** The request body as a JSON object; an empty body counts as {@code {}}. */
    static JsonNode objectBody(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node = tree(body, "");
        if (!node.isObject()) {
            throw new BadRequest("request body: expected a JSON object, got " + JsonFields.typeOf(node));
        }
        return node;
    }
}

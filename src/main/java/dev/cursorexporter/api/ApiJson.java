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

/**
 * JSON in and out for the datasource endpoints. Money is written from exact decimals in plain notation (never
 * {@code 1E+2}); request bodies are read strictly (no trailing garbage) into trees, so every type error can name
 * its JSON path.
 */
final class ApiJson {
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

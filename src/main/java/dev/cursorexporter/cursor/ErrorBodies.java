package dev.cursorexporter.cursor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.function.UnaryOperator;

/**
 * Extracts a human-readable reason from an error body. Cursor's error bodies are not uniform (REFERENCE.md
 * §1.9): {@code {"error","message"}}, {@code {"statusCode","error","message"}}, {@code {"code","message"}},
 * {@code {"outcome","message"}}, {@code {"error"}} alone, or not JSON at all. Reads {@code message}, then
 * {@code error} (or {@code error.message} when it is an object), then the raw text.
 */
final class ErrorBodies {
    /** Longest reason kept, so an HTML error page cannot flood a log line. */
    static final int MAX_LENGTH = 200;

    private ErrorBodies() {
    }

    /**
     * The reason, whitespace-collapsed and at most {@link #MAX_LENGTH} characters ("" for an empty body), with
     * {@code scrub} applied to the whole body and to the extracted reason before it is clipped: clipping first
     * could cut a secret in two and leave its prefix in the text.
     */
    static String reason(ObjectMapper mapper, String rawBody, UnaryOperator<String> scrub) {
        if (rawBody == null || rawBody.isBlank()) {
            return "";
        }
        String body = scrub.apply(rawBody);
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                String reason = firstNonBlank(
                        JsonFields.text(node, "message"),
                        JsonFields.text(node, "error"),
                        JsonFields.text(node.path("error"), "message"));
                if (reason != null) {
                    return clip(scrub.apply(reason));
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: the raw text is the best reason there is
        }
        return clip(body);
    }

    /** Collapses whitespace and truncates to {@link #MAX_LENGTH} characters, marking the cut with "…". */
    static String clip(String text) {
        String collapsed = text.replaceAll("\\s+", " ").trim();
        if (collapsed.length() <= MAX_LENGTH) {
            return collapsed;
        }
        return collapsed.substring(0, MAX_LENGTH - 1) + "…";
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}

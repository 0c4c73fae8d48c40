package dev.cursorexporter.api;

/**
 * A request the exporter cannot answer because of what the client sent; mapped to 400 with
 * {@code {"error": message}}. The message names the parameter or JSON path and the problem.
 */
final class BadRequest extends RuntimeException {
    BadRequest(String message) {
        super(message, null, false, false);
    }
}

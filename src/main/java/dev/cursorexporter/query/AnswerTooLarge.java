package dev.cursorexporter.query;

/**
 * A datasource question whose answer would need more rows than one answer may hold in memory. Raised while the
 * answer is being aggregated, before it has grown past the limit; the HTTP layer answers 400.
 */
public final class AnswerTooLarge extends RuntimeException {

    AnswerTooLarge(String message) {
        super(message, null, false, false);
    }
}

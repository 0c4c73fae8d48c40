package dev.cursorexporter.config;

/**
 * Turns one raw configuration value, as written in the environment or the YAML file, into its typed value, checking
 * its range.
 *
 * @param <T> the typed value
 */
@FunctionalInterface
interface ValueParser<T> {

    /**
     * @param raw the value as written (not trimmed; blank values never get here)
     * @throws Invalid when the value is refused; the loader prefixes the message with the key
     */
    T parse(String raw) throws Invalid;

    /** A refused value. The message completes {@code <key>: }, so it names the problem and never a secret. */
    final class Invalid extends Exception {
        Invalid(String message) {
            // an expected outcome of reading user input, not a fault: no stack trace to fill
            super(message, null, false, false);
        }
    }
}

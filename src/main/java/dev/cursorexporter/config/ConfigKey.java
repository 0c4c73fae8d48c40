package dev.cursorexporter.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One setting of the table of keys ({@link ConfigKeys}): where it is written, how it is read and what it is when
 * not written.
 *
 * @param path     the dotted YAML path ({@code server.port}); for a field of an account, the path inside
 *                 {@code accounts[i]} ({@code api_key})
 * @param env      the environment variable that overrides the YAML value, when there is one
 * @param yaml     what YAML node the value must be
 * @param parser   the typed value of a written one, within the allowed range
 * @param fallback the value when the key is not written; empty = none (the setting is optional)
 * @param <T>      the typed value
 */
record ConfigKey<T>(String path, Optional<String> env, YamlValue yaml, ValueParser<T> parser, Optional<T> fallback) {

    /** The YAML node a key's value must be. */
    enum YamlValue {
        /** A scalar of any type: numbers, booleans, durations and names are read from their text. */
        SCALAR,
        /** A YAML string: keys, paths and salts, which YAML would silently turn into numbers unquoted (0x1F → 31). */
        STRING
    }

    ConfigKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parser, "parser");
    }

    /** The value when the key is not written; only for keys that have one. */
    T defaultValue() {
        return fallback.orElseThrow(() -> new IllegalStateException(path + " has no default"));
    }
}

package dev.cursorexporter.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * A key of the table ({@link ConfigKeys}) whose YAML value is a structure (a list or a free-form mapping) that its own
 * parser reads whole. YAML only: no environment variable could hold it.
 *
 * @param path   the dotted YAML path ({@code budgets})
 * @param parser reads the tree (empty when the file has none), adding one problem line per mistake
 * @param <T>    the typed value
 */
record TreeKey<T>(String path, Parser<T> parser) {

    @FunctionalInterface
    interface Parser<T> {
        T parse(Optional<JsonNode> tree, List<String> problems);
    }
}

package dev.cursorexporter.config;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, one line each, each naming the key as the user wrote
 * it (environment variable or YAML path); never a secret value.
 */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}

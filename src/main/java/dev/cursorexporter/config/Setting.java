package dev.cursorexporter.config;

/**
 * A raw configuration value and the name the user gave it, so that a problem can name the key exactly as written:
 * an environment variable ({@code CURSOR_EXPORTER_PORT}) or a YAML path ({@code server.port},
 * {@code accounts[1].name}).
 */
record Setting(String key, String value) {
    @Override
    public String toString() {
        // values may be secrets; a stray log of a Setting must not show them
        return key + "=***";
    }
}

package dev.cursorexporter.config;

import dev.cursorexporter.model.Secret;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the exporter keeps what it learns (YAML {@code store:}).
 *
 * @param dataDir  where the embedded store lives ({@code CURSOR_EXPORTER_DATA_DIR}, {@code store.data_dir})
 * @param url      JDBC URL when set ({@code CURSOR_EXPORTER_STORE_URL}, {@code store.url}): {@code jdbc:sqlite:…} or
 *                 {@code jdbc:postgresql://…}, never with a password in it; empty = the SQLite file
 *                 {@code cursor-exporter.db} in {@code dataDir}
 * @param password the PostgreSQL store's password ({@code CURSOR_EXPORTER_STORE_PASSWORD} / {@code _FILE},
 *                 {@code store.password} / {@code store.password_file}); only with a PostgreSQL URL; its
 *                 {@code toString} is {@code ***}
 */
public record StoreConfig(Path dataDir, Optional<String> url, Optional<Secret> password) {

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(password, "password");
    }

    /** A store without a password (SQLite, or a PostgreSQL server that needs none). */
    public StoreConfig(Path dataDir, Optional<String> url) {
        this(dataDir, url, Optional.empty());
    }

    /** Whether the URL selects the PostgreSQL store. */
    public boolean postgresql() {
        return url.filter(u -> u.startsWith(ValueParsers.POSTGRESQL_URL)).isPresent();
    }
}

package dev.cursorexporter.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the exporter keeps what it learns (YAML {@code store:}).
 *
 * @param dataDir where the embedded store lives ({@code CURSOR_EXPORTER_DATA_DIR}, {@code store.data_dir})
 * @param url     JDBC URL when set ({@code CURSOR_EXPORTER_STORE_URL}, {@code store.url}); empty = the SQLite file
 *                {@code cursor-exporter.db} in {@code dataDir}
 */
public record StoreConfig(Path dataDir, Optional<String> url) {
}

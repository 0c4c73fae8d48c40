package dev.cursorexporter.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link UserLabelSaltContract} on an SQLite file. */
class SqliteUserLabelSaltTest extends UserLabelSaltContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }
}

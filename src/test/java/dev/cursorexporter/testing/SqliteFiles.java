package dev.cursorexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The exporter's SQLite file as seen from outside the exporter: integrity and leftover write-ahead log. */
public final class SqliteFiles {
    private SqliteFiles() {
    }

    /** The store file in a data directory, as {@code SqliteStore.open(dataDir)} names it. */
    public static Path storeIn(Path dataDir) {
        return dataDir.resolve("cursor-exporter.db");
    }

    /** {@code PRAGMA integrity_check} lines: exactly {@code ["ok"]} for a sound file. */
    public static List<String> integrityCheck(Path db) {
        if (!Files.isRegularFile(db)) {
            throw new AssertionError("no store file at " + db);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("cannot check " + db + ": " + e.getMessage(), e);
        }
    }

    /** Size of the {@code -wal} file next to {@code db}; 0 when there is none. */
    public static long walBytes(Path db) {
        Path wal = Path.of(db + "-wal");
        try {
            return Files.exists(wal) ? Files.size(wal) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

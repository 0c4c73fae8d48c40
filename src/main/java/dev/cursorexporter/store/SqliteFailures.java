package dev.cursorexporter.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;

/**
 * Turns SQLite's result codes into messages an operator can act on. Without this a full disk read "cannot commit -
 * no transaction is active" and a read-only directory, a truncated file and a garbled one all printed the same
 * cause-free line.
 */
final class SqliteFailures {
    private SqliteFailures() {
    }

    /** The store failure for {@code e}, or {@code fallback} + SQLite's message when nothing more is known. */
    static StoreException describe(Path file, String fallback, Throwable e) {
        SQLiteException sqlite = sqliteCause(e);
        String detail = " (SQLite: " + (sqlite != null ? sqlite.getMessage() : String.valueOf(e.getMessage())) + ")";
        if (sqlite == null) {
            return new StoreException(fallback + detail, e);
        }
        int primary = sqlite.getResultCode().code & 0xff;
        String message;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
            message = "the disk holding the store " + file + " is full: free space there; until then the exporter "
                    + "keeps serving the data it has and the sync retries";
        } else if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
            message = "the store " + file + " is read-only for this process: make the data directory and the file "
                    + "writable by the exporter's user, or point CURSOR_EXPORTER_DATA_DIR at a writable directory";
        } else if (primary == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            message = "cannot open the store " + file + ": the data directory is missing or not writable by the "
                    + "exporter's user (CURSOR_EXPORTER_DATA_DIR)";
        } else if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
            message = corrupt(file);
        } else if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
            message = "the store " + file + " is locked by another process: is a second exporter using the same "
                    + "data directory? Give each exporter its own CURSOR_EXPORTER_DATA_DIR";
        } else if (primary == SQLiteErrorCode.SQLITE_IOERR.code) {
            message = "reading or writing the store " + file + " failed at the operating-system level (disk error, "
                    + "file removed or storage detached)";
        } else {
            return new StoreException(fallback + detail, e);
        }
        return new StoreException(message + detail, e);
    }

    /** What to do about a damaged store file; also used when {@code quick_check} finds damage. */
    static String corrupt(Path file) {
        return "the store " + file + " is not a valid SQLite database or is damaged: stop the exporter, move the file "
                + "aside together with its -wal and -shm files (or restore them from a backup), and start again; "
                + "an empty store is backfilled from Cursor";
    }

    private static SQLiteException sqliteCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}

package dev.cursorexporter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite file behind {@link SqliteStore}: connection pool, per-connection pragmas, migrations and the
 * transaction discipline (many readers, one writer).
 *
 * <p>Durability: WAL journal with {@code synchronous=NORMAL}. A commit has been written to the WAL file (handed to
 * the OS) before {@code commit()} returns, so it survives {@code kill -9} of the JVM at any moment; only an OS crash
 * or power cut can lose the last few commits (the database stays consistent and the sync simply fetches them again,
 * because data and its coverage are committed together). FULL would add an fsync per commit, i.e. per page of
 * staged events, for protection the exporter does not need.
 */
final class SqliteDatabase implements Database {

    static final String URL_PREFIX = "jdbc:sqlite:";

    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** One writer and a few readers (scrape-independent queries); each connection holds its own page cache. */
    private static final int POOL_SIZE = 4;
    /**
     * Per connection, in KiB (negative = KiB for PRAGMA cache_size). The caches live outside the Java heap, so
     * pool size × cache is what a 256 MiB container must leave room for beside the heap: with 8 MiB, concurrent
     * year-long datasource reads (every connection's cache full) took the process past 256 MiB (BENCHMARKS.md).
     */
    private static final int CACHE_KIB = 4_096;
    /** WAL is truncated back to this after a checkpoint, so a big commit does not leave a big file behind. */
    private static final int JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

    private final HikariDataSource pool;
    private final Path file;
    /** SQLite allows one writer; serialising in-process writers avoids SQLITE_BUSY retries between our own threads. */
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private SqliteDatabase(HikariDataSource pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    static SqliteDatabase open(String jdbcUrl) {
        Path file = fileOf(jdbcUrl);
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + parent + " (" + e + "): create it, or "
                    + "point CURSOR_EXPORTER_DATA_DIR at a directory the exporter's user may write", e);
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw new StoreException("the data directory " + parent + " is not writable by the exporter's user: "
                    + "make it writable, or point CURSOR_EXPORTER_DATA_DIR at a writable directory", null);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreException("the store " + file + " is read-only for the exporter's user: make it "
                    + "writable (with its -wal and -shm files)", null);
        }

        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-CACHE_KIB);
        config.setJournalSizeLimit(JOURNAL_SIZE_LIMIT_BYTES);
        // Temporary b-trees of a 30-day merge (GROUP BY, DISTINCT over hundreds of thousands of rows) go to a
        // temporary file, not native memory the container limit cannot see coming.
        config.setTempStore(SQLiteConfig.TempStore.FILE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(jdbcUrl);

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("store");
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw SqliteFailures.describe(file, "cannot open the SQLite store " + file, e);
        }
        try {
            quickCheck(pool, file);
            Flyway.configure().dataSource(pool).locations(Dialect.SQLITE.migrations()).load().migrate();
        } catch (StoreException e) {
            pool.close();
            throw e;
        } catch (RuntimeException e) {
            pool.close();
            throw SqliteFailures.describe(file, "cannot migrate the SQLite store " + file, e);
        }
        return new SqliteDatabase(pool, file);
    }

    /**
     * {@code PRAGMA quick_check} at start: damage in the middle of the file (a bad disk, a partial copy) is found
     * now, with what to do, rather than as odd errors in the middle of a sync. It reads the whole file once
     * (seconds for a gigabyte).
     */
    private static void quickCheck(HikariDataSource pool, Path file) {
        try (Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            List<String> problems = new ArrayList<>();
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line) && problems.size() < 3) {
                    problems.add(line);
                }
            }
            if (!problems.isEmpty()) {
                throw new StoreException(SqliteFailures.corrupt(file) + " (quick_check: " + String.join("; ", problems)
                        + ")", null);
            }
        } catch (SQLException e) {
            throw SqliteFailures.describe(file, "cannot check the SQLite store " + file, e);
        }
    }

    /** The database file named by a {@code jdbc:sqlite:} URL; in-memory databases are refused (see below). */
    static Path fileOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not an SQLite JDBC URL (expected jdbc:sqlite:<file>): " + jdbcUrl);
        }
        String rest = jdbcUrl.substring(URL_PREFIX.length());
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        // Each pooled connection would get its own private in-memory database.
        if (path.isEmpty() || path.equals(":memory:") || params.contains("mode=memory")) {
            throw new IllegalArgumentException("in-memory SQLite is not supported, the store needs a file: " + jdbcUrl);
        }
        return Path.of(path);
    }

    Path file() {
        return file;
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw SqliteFailures.describe(file, "store write failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** WAL lets a read proceed while a write is in progress. */
    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw SqliteFailures.describe(file, "store read failed", e);
        }
    }

    /** Database file plus its write-ahead log. */
    @Override
    public long sizeBytes() {
        return sizeOf(file) + sizeOf(Path.of(file + "-wal"));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) { // absent (no WAL yet) or unreadable: contributes nothing
            return 0;
        }
    }

    /**
     * After a failure SQLite may already have ended the transaction (a full disk rolls it back), and switching back
     * to auto-commit then fails with "cannot commit - no transaction is active": that must not replace the failure
     * being reported.
     */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the pool validates the connection before lending it again
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

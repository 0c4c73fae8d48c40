package dev.cursorexporter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The database behind the store, whatever its dialect: a pool of connections, migrated at open, and the
 * transaction discipline (one write transaction at a time per process, reads in auto-commit). {@link SqliteDatabase}
 * is the embedded file, {@link PostgresDatabase} a PostgreSQL server.
 */
interface Database extends AutoCloseable {

    /** One unit of SQL work on a borrowed connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    Dialect dialect();

    /** Runs {@code work} as one write transaction: committed when it returns, rolled back when it throws. */
    <T> T write(SqlWork<T> work);

    /** Runs read-only {@code work} in auto-commit mode. */
    <T> T read(SqlWork<T> work);

    /** What the store takes on disk, in bytes. */
    long sizeBytes();

    @Override
    void close();

    /** Runs a query whose only parameter is the account name and maps every row. */
    default <T> List<T> listByAccount(String sql, String account, RowMapper<T> mapper) {
        Objects.requireNonNull(account, "account");
        return read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, account);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                }
                return Collections.unmodifiableList(out); // some mappers read nullable single values
            }
        });
    }

    /**
     * Like {@link #listByAccount} but hands each row to {@code sink} as it is read, so a large answer is never held
     * whole (the read connection stays open while the sink runs; keep it to computation).
     */
    default <T> void forEachByAccount(String sql, String account, RowMapper<T> mapper, Consumer<? super T> sink) {
        Objects.requireNonNull(account, "account");
        read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, account);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(mapper.map(rs));
                    }
                }
                return null;
            }
        });
    }
}

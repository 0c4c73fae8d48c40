package dev.cursorexporter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cursorexporter.model.Secret;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * A PostgreSQL server behind the store: a HikariCP pool over the PostgreSQL JDBC driver, migrated with the
 * {@code db/postgresql} scripts (the same versions as SQLite's).
 *
 * <p>The password comes from {@code CURSOR_EXPORTER_STORE_PASSWORD} / {@code _FILE} as a {@link Secret} and is asked
 * for at every new connection (a rotated password file applies to the pool's next connection); it is never part of
 * the URL, a message or a {@code toString}. Writes of this process are serialised as on SQLite (one write
 * transaction at a time, READ COMMITTED); several replicas on one database poll each account from one replica only
 * ({@link PostgresPollerLock}).
 */
final class PostgresDatabase implements Database {
    static final String URL_PREFIX = "jdbc:postgresql://";

    /** One writer and a few readers, as on SQLite; the server's own limits are the operator's. */
    private static final int POOL_SIZE = 4;
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private final HikariDataSource pool;
    private final String shownUrl;
    private final PostgresSql sql;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private PostgresDatabase(HikariDataSource pool, String shownUrl, PostgresSql sql) {
        this.pool = pool;
        this.shownUrl = shownUrl;
        this.sql = sql;
    }

    /**
     * Connects to {@code jdbcUrl} (a {@code jdbc:postgresql://} URL without a password) and migrates the database.
     *
     * @throws IllegalArgumentException for other URLs
     * @throws StoreException           when the server cannot be reached, refuses the login, or the migration fails
     */
    static PostgresDatabase open(String jdbcUrl, Optional<Secret> password) {
        Objects.requireNonNull(password, "password");
        if (jdbcUrl == null || !jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected " + URL_PREFIX + "…)");
        }
        String shown = withoutQuery(jdbcUrl);
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(jdbcUrl);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(password.isPresent() ? new WithPassword(driver, password.get()) : driver);
        hikari.setPoolName("store");
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw failure("cannot connect to the PostgreSQL store " + shown, e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(Dialect.POSTGRESQL.migrations()).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw failure("cannot migrate the PostgreSQL store " + shown, e);
        }
        PostgresSql sql;
        try {
            sql = new PostgresSql(primaryKeys(pool));
        } catch (SQLException e) {
            pool.close();
            throw failure("cannot read the schema of the PostgreSQL store " + shown, e);
        }
        return new PostgresDatabase(pool, shown, sql);
    }

    /** Primary-key columns per table of the store's schema, in key order. */
    private static Map<String, List<String>> primaryKeys(HikariDataSource pool) throws SQLException {
        Map<String, List<String>> keys = new HashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT tc.table_name, kcu.column_name
                     FROM information_schema.table_constraints tc
                     JOIN information_schema.key_column_usage kcu
                          ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
                     ORDER BY tc.table_name, kcu.ordinal_position""")) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return keys;
    }

    /** Host, port and database only: the query may carry settings an operator would rather not see in every log line. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static StoreException failure(String what, Throwable e) {
        return new StoreException(what + " (" + rootMessage(e) + ")", e);
    }

    /** The message of the innermost cause: the driver's own words (it never includes the password). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(translating(c));
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool validates the connection before lending it again
                }
            }
        } catch (SQLException e) {
            throw failure("store write failed on " + shownUrl, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(translating(c));
        } catch (SQLException e) {
            throw failure("store read failed on " + shownUrl, e);
        }
    }

    /** The database's size on the server ({@code pg_database_size}). */
    @Override
    public long sizeBytes() {
        return read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgreSQL store " + shownUrl;
    }

    /**
     * {@code c} with every statement's SQL translated ({@link PostgresSql}), and the parameters of SQLite's numbered
     * placeholders bound at each position they stand for.
     */
    private Connection translating(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String text) {
                        PostgresSql.Translated t = sql.translate(text);
                        Object[] translated = args.clone();
                        translated[0] = t.sql();
                        PreparedStatement ps = (PreparedStatement) invoke(method, c, translated);
                        return t.renumbered() ? renumbering(ps, t.positions()) : ps;
                    }
                    if (method.getName().equals("createStatement")) {
                        return statement((Statement) invoke(method, c, args));
                    }
                    return invoke(method, c, args);
                });
    }

    private Statement statement(Statement s) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[]{Statement.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String text
                            && (method.getName().startsWith("execute") || method.getName().equals("addBatch"))) {
                        Object[] translated = args.clone();
                        translated[0] = sql.translate(text).sql();
                        return invoke(method, s, translated);
                    }
                    return invoke(method, s, args);
                });
    }

    /** Binds SQLite's parameter n at every position it was translated to. */
    private static PreparedStatement renumbering(PreparedStatement ps, int[][] positions) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (proxy, method, args) -> {
                    Class<?>[] types = method.getParameterTypes();
                    if (method.getName().startsWith("set") && types.length >= 2 && types[0] == int.class) {
                        int n = (Integer) args[0];
                        if (n <= 0 || n >= positions.length || positions[n].length == 0) {
                            throw new SQLException("parameter ?" + n + " is not in the statement");
                        }
                        Object result = null;
                        for (int position : positions[n]) {
                            Object[] at = args.clone();
                            at[0] = position;
                            result = invoke(method, ps, at);
                        }
                        return result;
                    }
                    return invoke(method, ps, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The driver's data source with the password asked of the {@link Secret} at every new connection. */
    private static final class WithPassword implements javax.sql.DataSource {
        private final PGSimpleDataSource driver;
        private final Secret password;

        WithPassword(PGSimpleDataSource driver, Secret password) {
            this.driver = driver;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return driver.getConnection(driver.getUser(), password.reveal());
        }

        @Override
        public Connection getConnection(String user, String ignored) throws SQLException {
            return driver.getConnection(user, password.reveal());
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return driver.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            driver.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            driver.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return driver.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return driver.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            return driver.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || driver.isWrapperFor(type);
        }

        @Override
        public String toString() {
            return "PostgreSQL data source (password ***)";
        }
    }
}

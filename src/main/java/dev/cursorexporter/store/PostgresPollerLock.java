package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One poller per account among replicas on one PostgreSQL database, through session-level advisory locks
 * ({@code pg_try_advisory_lock}) held on a connection of its own, outside the store's pool: the pool recycles its
 * connections, and a session lock lives exactly as long as its connection. When the process dies (kill -9, a lost
 * node) the server ends that session and the lock is free for the next replica's try; no lease row, no expiry to
 * tune, nothing to clean up. The key of an account is the first 8 bytes of SHA-256 over a fixed prefix and its name.
 *
 * <p>Holding is checked at every {@link #tryHold} (every few seconds): a connection that no longer answers means the
 * session, and with it every lock, may be gone, so this process stops polling before another takes over. The
 * connection asks the server for TCP keep-alives of its own (seconds, not the system's two hours), so that a replica
 * that vanished without closing its socket (a lost node) frees its locks within about half a minute.
 */
public final class PostgresPollerLock implements PollerLock {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPollerLock.class);
    private static final String KEY_PREFIX = "cursor-exporter poller\0";
    /** How long a check of the lock connection may take before the locks count as lost. */
    private static final int CHECK_TIMEOUT_SECONDS = 5;

    private final PGSimpleDataSource driver;
    private final Optional<Secret> password;
    private final String shownUrl;
    /** The session holding the locks; null until the first try and after it was lost. Guarded by this. */
    private Connection session;
    private final Set<String> held = new HashSet<>();

    private PostgresPollerLock(PGSimpleDataSource driver, Optional<Secret> password, String shownUrl) {
        this.driver = driver;
        this.password = password;
        this.shownUrl = shownUrl;
    }

    /** Connects lazily, at the first {@link #tryHold}: the store's own open already proved the server reachable. */
    public static PostgresPollerLock of(String jdbcUrl, Optional<Secret> password) {
        Objects.requireNonNull(password, "password");
        if (jdbcUrl == null || !jdbcUrl.startsWith(PostgresDatabase.URL_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected " + PostgresDatabase.URL_PREFIX
                    + "…)");
        }
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(jdbcUrl);
        driver.setApplicationName("cursor-exporter poller lock");
        driver.setTcpKeepAlive(true);
        driver.setConnectTimeout(CHECK_TIMEOUT_SECONDS);
        driver.setSocketTimeout(2 * CHECK_TIMEOUT_SECONDS);
        int query = jdbcUrl.indexOf('?');
        return new PostgresPollerLock(driver, password, query < 0 ? jdbcUrl : jdbcUrl.substring(0, query));
    }

    /** The advisory-lock key of {@code account}: stable across versions and replicas. */
    static long key(String account) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((KEY_PREFIX + account).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public synchronized boolean tryHold(String account) {
        try {
            if (session != null && !session.isValid(CHECK_TIMEOUT_SECONDS)) {
                // not taken again in the same call: a holder that lost its lock always stops polling first, so that
                // its running job winds down before it (or another replica) starts a new one
                boolean held = !this.held.isEmpty();
                lost("the connection holding them stopped answering");
                if (held) {
                    return false;
                }
            }
            if (held.contains(account)) {
                return true;
            }
            if (session == null) {
                session = connect();
            }
            try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, key(account));
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held.add(account);
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            lost(PostgresDatabase.rootMessage(e));
            return false;
        }
    }

    private Connection connect() throws SQLException {
        Connection c = password.isPresent() ? driver.getConnection(driver.getUser(), password.get().reveal())
                : driver.getConnection();
        try (Statement s = c.createStatement()) {
            // the server's side of the keep-alive: a replica gone without a FIN frees its locks in ~25 s
            s.execute("SET tcp_keepalives_idle = 10");
            s.execute("SET tcp_keepalives_interval = 5");
            s.execute("SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Forgets the session and its locks: the server frees them when it notices, if it has not already. */
    private void lost(String why) {
        if (!held.isEmpty()) {
            LOG.warn("poller locks of {} on {} lost: {}", held, shownUrl, why);
        }
        held.clear();
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // broken already
            }
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        held.clear();
        if (session != null) {
            try {
                session.close(); // ends the session: its advisory locks are released with it
            } catch (SQLException e) {
                LOG.debug("closing the poller lock connection failed: {}", e.toString());
            }
            session = null;
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL poller lock " + shownUrl;
    }
}

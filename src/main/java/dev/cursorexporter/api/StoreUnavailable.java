package dev.cursorexporter.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a request failed because the store could not be reached (the PostgreSQL server down, restarting or
 * refusing connections, or ending the connection a query ran on), which the answer says with 503 and
 * {@code Retry-After} rather than as an internal error: the exporter is fine and answers again once the database
 * does. An SQL error on a connection that works is still a 500.
 */
final class StoreUnavailable {
    /** Seconds a client is told to wait: about the pool's connection timeout. */
    static final String RETRY_AFTER_SECONDS = "10";

    private StoreUnavailable() {
    }

    static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) { // the pool found no connection in time
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true; // class 08 connection exception; 57P01-03 the server shutting down or not yet up
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}

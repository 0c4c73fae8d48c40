package dev.cursorexporter.store;

/**
 * Which process polls which Cursor account. With several replicas on one PostgreSQL database exactly one of them
 * may poll an account at a time ({@link PostgresPollerLock}); on SQLite the data-directory lock already allows only
 * one process, so that process always polls ({@link #SOLE}).
 */
public interface PollerLock extends AutoCloseable {

    /** The only process on its store: it polls every account. */
    PollerLock SOLE = new PollerLock() {
        @Override
        public boolean tryHold(String account) {
            return true;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Takes the lock of {@code account} when no other process holds it, or confirms that this process still does.
     * Called periodically; false means another process polls the account (or the database cannot be reached), and a
     * process that held the lock and gets false must stop polling it at once.
     */
    boolean tryHold(String account);

    /** Releases every lock held, so another replica can take over at once (graceful shutdown). */
    @Override
    void close();
}

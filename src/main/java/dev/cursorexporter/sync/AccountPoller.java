package dev.cursorexporter.sync;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.PollerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Polls one account only while this process holds the account's {@link PollerLock}: every {@link #CHECK} it takes
 * the lock (or confirms it still holds it); on taking it, it starts a new {@link AccountSync}, which resumes from the
 * coverage in the shared store, so windows another replica stored are not fetched again; on losing it, it stops the
 * sync at its next checkpoint. With {@link PollerLock#SOLE} (SQLite) the first check, made by {@link #start()}
 * itself, starts the sync at once, as before.
 */
public final class AccountPoller {
    private static final Logger LOG = LoggerFactory.getLogger(AccountPoller.class);
    /**
     * How often a replica that does not poll tries to take the lock, and the poller checks it still holds it: a
     * poller killed with -9 is replaced within this (its session ends with its process), plus the new poller's
     * first sync.
     */
    public static final Duration CHECK = Duration.ofSeconds(5);

    private final String account;
    private final PollerLock lock;
    private final Supplier<AccountSync> newSync;
    private final Duration check;
    private final ScheduledExecutorService thread;
    /** The running sync while this process polls; null otherwise. Written on the check thread and by stops. */
    private volatile AccountSync current;
    /** Every sync started, so a stop waits for one still finishing after the lock was lost too. */
    private final java.util.List<AccountSync> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** @param newSync a new, not yet started sync of the account (a stopped one cannot be started again) */
    public AccountPoller(String account, PollerLock lock, Supplier<AccountSync> newSync, Duration check) {
        this.account = account;
        this.lock = lock;
        this.newSync = newSync;
        this.check = check;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "poller-" + account);
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks the lock now, on the calling thread (so a sole process polls at once), then every check interval. */
    public void start() {
        checkLock();
        thread.scheduleWithFixedDelay(this::checkLock, check.toMillis(), check.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void checkLock() {
        if (stopping) {
            return;
        }
        boolean holds;
        try {
            holds = lock.tryHold(account);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot check the poller lock: {}", account, e.toString());
            holds = false;
        }
        AccountSync sync = current;
        if (holds && sync == null) {
            // a sync stopped when the lock was lost may still be finishing its job: never two at once
            started.removeIf(stopped -> stopped.awaitStop(Duration.ZERO));
            if (!started.isEmpty()) {
                return;
            }
            AccountSync fresh = newSync.get();
            started.add(fresh);
            current = fresh;
            if (lock != PollerLock.SOLE) {
                LOG.info("{}: this replica now polls the account (poller lock taken)", account);
            }
            fresh.start();
        } else if (!holds && sync != null) {
            LOG.warn("{}: poller lock lost; this replica stops polling the account at the next checkpoint and tries "
                    + "again every {} s", account, check.toSeconds());
            current = null;
            sync.requestStop();
        }
    }

    /** Whether this process polls the account now ({@code cursor_exporter_poller}). */
    public boolean polling() {
        return current != null;
    }

    /** Queues a poll ({@code POST /admin/sync}) when this process polls the account; otherwise the poller's own runs apply. */
    public void syncNow(Source source) {
        AccountSync sync = current;
        if (sync != null) {
            sync.syncNow(source);
        } else {
            LOG.info("{}: forced sync not run here: another replica polls this account", account);
        }
    }

    /** Stops checking the lock and asks the sync to stop at its next checkpoint; returns at once. */
    public void requestStop() {
        stopping = true;
        thread.shutdownNow();
        synchronized (this) { // after a check that is starting a sync right now
            started.forEach(AccountSync::requestStop);
        }
    }

    /** Waits up to {@code timeout} for every sync this poller started; true when all stopped. */
    public boolean awaitStop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (AccountSync sync : started) {
            all &= sync.awaitStop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return all;
    }

    /** Abandons the running jobs ({@link AccountSync#abandon()}). */
    public void abandon() {
        started.forEach(AccountSync::abandon);
    }

}

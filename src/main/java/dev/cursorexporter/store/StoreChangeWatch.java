package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices writes of other replicas sharing a PostgreSQL store, so that every replica's snapshot and query caches
 * follow the store whoever wrote it. Within a process, a sync job and an OTLP request say themselves that they
 * wrote; a write of another process says nothing, so this reads two change markers every few seconds that every
 * writer moves anyway: the source states of the accounts (saved at the end of every sync job, success or failure)
 * and the OTLP receiver's last-received times (saved with every accepted request). Two small reads; no table of its
 * own, no trigger.
 */
public final class StoreChangeWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreChangeWatch.class);
    /** How often the markers are read: a peer's write reaches this replica's answers within this plus a rebuild. */
    public static final Duration PERIOD = Duration.ofSeconds(5);

    private final StoreReader store;
    private final List<String> accounts;
    private final Runnable onSynced;
    private final Runnable onPushed;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile Map<String, Map<Source, SourceState>> synced;
    private volatile Map<String, Instant> pushed;
    /** Whether the last read failed; watch thread only. */
    private boolean failing;

    /**
     * @param onSynced run when a sync job (of any replica) ended since the last read
     * @param onPushed run when an OTLP request (to any replica) was stored since the last read
     */
    public StoreChangeWatch(StoreReader store, List<String> accounts, Runnable onSynced, Runnable onPushed) {
        this.store = store;
        this.accounts = List.copyOf(accounts);
        this.onSynced = onSynced;
        this.onPushed = onPushed;
    }

    /** Reads the markers now (what this process has loaded already) and then every {@code period}. */
    public void start(Duration period) {
        synced = syncMarker();
        pushed = store.otel().lastReceived();
        thread.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The sync-job marker as it is now, recorded as seen: called by this process's own sync before it refreshes,
     * so its own writes are not refreshed twice.
     */
    public void seenSync() {
        try {
            synced = syncMarker();
        } catch (RuntimeException e) {
            // the next read compares with the older marker and refreshes once more: harmless
        }
    }

    /** As {@link #seenSync()}, for this process's own OTLP writes. */
    public void seenPush() {
        try {
            pushed = store.otel().lastReceived();
        } catch (RuntimeException e) {
            // as above
        }
    }

    private Map<String, Map<Source, SourceState>> syncMarker() {
        Map<String, Map<Source, SourceState>> marker = new LinkedHashMap<>();
        for (String account : accounts) {
            marker.put(account, store.sourceStates(account));
        }
        return marker;
    }

    /** Package-private for tests: one read of the markers. */
    void check() {
        try {
            Map<String, Map<Source, SourceState>> nowSynced = syncMarker();
            if (!Objects.equals(nowSynced, synced)) {
                synced = nowSynced;
                onSynced.run();
            }
            Map<String, Instant> nowPushed = store.otel().lastReceived();
            if (!Objects.equals(nowPushed, pushed)) {
                pushed = nowPushed;
                onPushed.run();
            }
            if (failing) {
                failing = false;
                LOG.info("the store's change markers can be read again");
            }
        } catch (RuntimeException e) {
            if (!failing) { // once per outage, not every few seconds
                failing = true;
                LOG.warn("cannot read the store's change markers; trying again every {} s: {}", PERIOD.toSeconds(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

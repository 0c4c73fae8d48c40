package dev.cursorexporter.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rebuilds the snapshot a short while after data arrived, on its own thread: the OTLP receiver accepts a request
 * every few seconds, and rebuilding per request would rebuild constantly, while the request itself must never wait
 * for a build. {@link #request()} only sets a flag and, for the first request since the last build started,
 * schedules one; requests during a build schedule the next one. The delay is {@code gap}, or {@value #DUTY} times
 * the last build's duration when that is longer, so that on a large store rebuilding for pushes takes at most about
 * a {@value #DUTY}th of one core.
 */
public final class CoalescedRefresh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescedRefresh.class);

    static final int DUTY = 5;

    private final Runnable refresh;
    private final long gapMillis;
    /** Duration of the last build; read by the scheduling thread, written by the build thread. */
    private volatile long lastBuildMillis;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "snapshot-refresh");
        t.setDaemon(true);
        return t;
    });

    /** @param gap least delay before a requested rebuild (the longest a pushed value waits, on a small store) */
    public CoalescedRefresh(Runnable refresh, Duration gap) {
        this.refresh = refresh;
        this.gapMillis = gap.toMillis();
    }

    /** Asks for a rebuild within the gap; returns at once. */
    public void request() {
        if (pending.compareAndSet(false, true)) {
            try {
                thread.schedule(this::run, Math.max(gapMillis, DUTY * lastBuildMillis), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false); // closed: the exporter is stopping
            }
        }
    }

    private void run() {
        pending.set(false); // before the build: data stored while it runs asks for another
        long started = System.nanoTime();
        try {
            refresh.run();
        } catch (RuntimeException e) {
            LOG.warn("snapshot rebuild after OTLP data failed: {}", e.toString());
        } finally {
            lastBuildMillis = (System.nanoTime() - started) / 1_000_000;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of one Cursor account: runs each source's {@link SourceJob} (registered in {@link SourceJobs}) in the
 * background and stops them. All jobs of an account run on one thread: they share Cursor's per-team rate limits,
 * and one writer keeps the embedded store simple. A failing source records its error and keeps its last good data;
 * the others go on. A failed poll is tried again after its own back-off ({@link #retryDelay}: from
 * {@link #FIRST_RETRY}, doubling, at most the source's interval, never sooner than Cursor's {@code Retry-After}),
 * so after a storm or an outage every source is fresh again within minutes, not an interval; the request budget
 * still paces every call.
 */
public final class AccountSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountSync.class);
    /** Back-off after a source's first failed poll; it doubles with each further failure. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    /**
     * Longest a day-window job keeps the account's one thread before it yields at its next committed window: a
     * year-long backfill (over an hour for 1,000 members) must not keep members and spend from their schedule.
     * The rest is continued right after the sources that are due.
     */
    static final Duration JOB_SLICE = Duration.ofMinutes(5);

    private final String account;
    private final StoreWriter store;
    private final WindowPlanner planner;
    private final Map<Source, Duration> intervals;
    private final Clock clock;
    private final Runnable onStoreChanged;
    private final SyncHealth health;
    private final ScheduledExecutorService executor;
    /** The jobs in polling order. */
    private final Map<Source, SourceJob> jobs = new LinkedHashMap<>();
    /** Runs the Enterprise jobs; null when the account polls only the core sources. */
    private final EnterpriseGate enterprise;
    /**
     * Set by {@link #requestStop()}: the running job stops at the next page or window boundary (every window is
     * committed in one transaction with its coverage, so a boundary is a checkpoint) and queued jobs are skipped.
     */
    private volatile boolean stopping;
    /** Failed polls in a row per source, and the last failure; touched on the sync thread only. */
    private final Map<Source, Integer> failuresInARow = new EnumMap<>(Source.class);
    private final Map<Source, RuntimeException> lastFailure = new EnumMap<>(Source.class);
    /** Forced runs queued and not started yet: a second request for the same source joins the first. */
    private final Map<Source, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();
    /** Sources whose last job yielded with windows left ({@link #JOB_SLICE}); sync thread only. */
    private final Set<Source> unfinished = EnumSet.noneOf(Source.class);
    private volatile Duration jobSlice = JOB_SLICE;

    /**
     * @param intervals      per source; a source not listed is polled at its {@link Source#defaultInterval()}
     * @param onStoreChanged called on the sync thread after every job, successful or not (rebuilds the metrics
     *                       snapshot, invalidates query caches)
     */
    public AccountSync(String account, CursorApi api, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged) {
        this(account, api, null, store, planner, intervals, clock, onStoreChanged, new SyncHealth());
    }

    /** @param enterpriseApi the account's Enterprise sources, or null to poll only the core sources */
    public AccountSync(String account, CursorApi api, EnterpriseApi enterpriseApi, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged) {
        this(account, api, enterpriseApi, store, planner, intervals, clock, onStoreChanged, new SyncHealth());
    }

    /**
     * @param enterpriseApi the account's Enterprise sources, or null to poll only the core sources
     * @param health        told the outcome of every poll, so a refused key is reported once and shown in metrics
     */
    public AccountSync(String account, CursorApi api, EnterpriseApi enterpriseApi, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged, SyncHealth health) {
        this.health = health;
        this.enterprise = enterpriseApi == null ? null : new EnterpriseGate(account, api, health);
        SourceJobs.forAccount(api, enterpriseApi, new CounterEpoch(account, store), enterprise)
                .forEach(job -> jobs.put(job.source(), job));
        this.account = account;
        this.store = store;
        this.planner = planner;
        this.intervals = Source.intervals(intervals);
        this.clock = clock;
        this.onStoreChanged = onStoreChanged;
        ScheduledThreadPoolExecutor sync = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sync-" + account);
            t.setDaemon(true);
            return t;
        });
        // Each source schedules its next run itself: on shutdown those waiting runs are dropped, not awaited.
        sync.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        sync.setRemoveOnCancelPolicy(true);
        this.executor = sync;
    }

    /**
     * Runs every source once now, in polling order, then each again after its interval, or after its retry
     * back-off when the poll failed.
     */
    public void start() {
        for (Source source : jobs.keySet()) {
            executor.execute(() -> runAndReschedule(source, false));
        }
    }

    /**
     * @param continuation the run continues one that yielded moments ago: it reads only the backfill windows left,
     *                     as that run read the look-back days, and the next poll reads them again
     */
    private void runAndReschedule(Source source, boolean continuation) {
        boolean ok = runSafely(source, false, continuation);
        if (stopping) {
            return;
        }
        Duration next = intervals.get(source);
        boolean continues = false;
        if (ok && unfinished.remove(source)) {
            next = Duration.ZERO; // queued behind whatever is due now
            continues = true;
        } else if (!ok) {
            int failures = failuresInARow.getOrDefault(source, 0);
            next = retryDelay(failures, next, lastFailure.get(source));
            LOG.info("{} {}: next try in {} s (failure {} in a row)", account, source.label(), next.toSeconds(),
                    failures);
        }
        boolean continuing = continues;
        try {
            executor.schedule(() -> runAndReschedule(source, continuing), next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    /**
     * The wait after the {@code failures}-th failed poll in a row: {@link #FIRST_RETRY} doubled per further
     * failure, at most {@code interval}; at least the {@code Retry-After} Cursor sent with the last answer.
     */
    static Duration retryDelay(int failures, Duration interval, RuntimeException failure) {
        int doublings = Math.min(Math.max(failures - 1, 0), 20);
        Duration backoff = FIRST_RETRY.multipliedBy(1L << doublings);
        Duration delay = backoff.compareTo(interval) > 0 ? interval : backoff;
        if (failure instanceof CursorApiException e && e.retryAfter().isPresent()
                && e.retryAfter().get().compareTo(delay) > 0) {
            delay = e.retryAfter().get();
        }
        return delay;
    }

    /**
     * Queues one run of {@code source} (or all when null); completes when it has run. A source already queued
     * and not yet started is not queued again: the request joins the queued run (a burst of forced syncs costs
     * one poll, not one each).
     */
    public CompletableFuture<Void> syncNow(Source source) {
        List<Source> sources = source == null ? List.copyOf(jobs.keySet()) : List.of(source);
        return CompletableFuture.allOf(sources.stream().map(this::queueOnce).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> queueOnce(Source source) {
        return queued.computeIfAbsent(source, s -> CompletableFuture.runAsync(() -> {
            queued.remove(s);
            runSafely(s, true, false);
        }, executor));
    }

    /** Runs one source on the calling thread; for tests and tools that drive the sync themselves. */
    public boolean runOnce(Source source) {
        return runSafely(source, false, false);
    }

    /**
     * @param forced       a forced sync: Enterprise sources stored as unavailable are probed again
     * @param continuation see {@link #runAndReschedule}
     */
    private boolean runSafely(Source source, boolean forced, boolean continuation) {
        SourceJob job = jobs.get(source);
        if (stopping || job == null) {
            return false;
        }
        Instant started = clock.instant();
        SourceState before = store.sourceStates(account).getOrDefault(source, SourceState.NEVER);
        try {
            JobContext context = new JobContext(account, source, store, planner, clock, forced, continuation,
                    () -> stopping, jobSlice);
            String summary = job.run(context);
            if (context.yielded()) {
                unfinished.add(source);
            }
            store.saveSourceState(account, source, new SourceState(clock.instant(), null, null));
            if (health.record(account, source, null, clock.instant()) && enterprise != null) {
                enterprise.reprobe();
            }
            failuresInARow.remove(source);
            lastFailure.remove(source);
            LOG.info("{} {}: {} in {} ms", account, source.label(), summary,
                    Duration.between(started, clock.instant()).toMillis());
            return true;
        } catch (RuntimeException e) {
            if (stopping) {
                // Stopped at a checkpoint or an in-flight call abandoned: not a failure of the source, and the store
                // already holds every window committed so far; the next start resumes from its coverage.
                LOG.info("{} {}: stopped for shutdown after {} ms ({}); committed windows are kept, the next start "
                        + "resumes from them", account, source.label(),
                        Duration.between(started, clock.instant()).toMillis(),
                        e instanceof Stopped ? "at a window or page boundary" : "in-flight call abandoned");
                return false;
            }
            failuresInARow.merge(source, 1, Integer::sum);
            lastFailure.put(source, e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("{} {}: poll failed, keeping the last good data: {}", account, source.label(), message);
            health.record(account, source, e, clock.instant());
            try {
                store.saveSourceState(account, source, new SourceState(before.lastSuccess(), message, clock.instant()));
            } catch (RuntimeException storeFailure) {
                LOG.error("{} {}: could not record the failure in the store", account, source.label(), storeFailure);
            }
            return false;
        } finally {
            try {
                if (!stopping) {
                    onStoreChanged.run();
                }
            } catch (RuntimeException e) {
                LOG.error("refreshing after {} {} failed", account, source.label(), e);
            }
        }
    }

    /** Sets the {@link #JOB_SLICE} of this sync (tests). */
    void jobSlice(Duration slice) {
        this.jobSlice = slice;
    }

    /**
     * Asks the sync to stop: no new job starts, and the running one stops at its next window or page boundary.
     * Returns at once; see {@link #awaitStop} and {@link #abandon}.
     */
    public void requestStop() {
        stopping = true;
        executor.shutdown();
    }

    /** Waits up to {@code timeout} for the sync thread to finish; true when it has. */
    public boolean awaitStop(Duration timeout) {
        try {
            return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return executor.isTerminated();
        }
    }

    /**
     * Interrupts the sync thread (a rate-budget wait, a retry back-off); an HTTP call blocked on the network also
     * needs its client's calls cancelled. The uncommitted window is discarded.
     */
    public void abandon() {
        stopping = true;
        executor.shutdownNow();
    }

    /** Stops within about 10 s: at a checkpoint if it gets there in 8 s, else by abandoning the running job. */
    @Override
    public void close() {
        requestStop();
        if (!awaitStop(Duration.ofSeconds(8))) {
            abandon();
            if (!awaitStop(Duration.ofSeconds(2))) {
                LOG.warn("{}: sync thread did not stop within 10 s", account);
            }
        }
    }
}

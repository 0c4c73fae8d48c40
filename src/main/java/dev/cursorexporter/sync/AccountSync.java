package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.EventsRead;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Polls one Cursor account in the background and writes what it gets to the store. All sources of an account
 * run on one thread: they share Cursor's per-team rate limits, and one writer keeps the embedded store simple.
 * A failing source records its error and keeps its last good data; the others go on. A failed poll is tried
 * again after its own back-off ({@link #retryDelay}: from {@link #FIRST_RETRY}, doubling, at most the source's
 * interval, never sooner than Cursor's {@code Retry-After}), so after a storm or an outage every source is fresh
 * again within minutes, not an interval; the request budget still paces every call.
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
    private final CursorApi api;
    private final StoreWriter store;
    private final WindowPlanner planner;
    private final Map<Source, Duration> intervals;
    private final Clock clock;
    private final Runnable onStoreChanged;
    private final SyncHealth health;
    private final ScheduledExecutorService executor;
    private final List<Source> polled;
    private final EnterpriseSync enterprise;
    /**
     * Set by {@link #requestStop()}: the running job stops at the next page or window boundary (every window is
     * committed in one transaction with its coverage, so a boundary is a checkpoint) and queued jobs are skipped.
     */
    private volatile boolean stopping;
    /** Set once the store holds this account's counter epoch (checked on the first day-window sync). */
    private boolean epochRecorded;
    /** Failed polls in a row per source, and the last failure; touched on the sync thread only. */
    private final Map<Source, Integer> failuresInARow = new EnumMap<>(Source.class);
    private final Map<Source, RuntimeException> lastFailure = new EnumMap<>(Source.class);
    /** Forced runs queued and not started yet: a second request for the same source joins the first. */
    private final Map<Source, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();
    /** Sources whose last job yielded with windows left ({@link #JOB_SLICE}); sync thread only. */
    private final java.util.Set<Source> unfinished = java.util.EnumSet.noneOf(Source.class);
    private volatile Duration jobSlice = JOB_SLICE;
    /** Fingerprint of the key the Enterprise sources were last probed with; sync thread only. */
    private String keyFingerprint;

    /**
     * @param onStoreChanged called on the sync thread after every job, successful or not (rebuilds the metrics
     *                       snapshot, invalidates query caches)
     */
    public AccountSync(String account, CursorApi api, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged) {
        this(account, api, null, store, planner, intervals, clock, onStoreChanged, new SyncHealth());
    }

    /** @param enterpriseApi the account's Enterprise sources, or null to poll only the core four */
    public AccountSync(String account, CursorApi api, EnterpriseApi enterpriseApi, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged) {
        this(account, api, enterpriseApi, store, planner, intervals, clock, onStoreChanged, new SyncHealth());
    }

    /**
     * @param enterpriseApi the account's Enterprise sources, or null to poll only the core four
     * @param health        told the outcome of every poll, so a refused key is reported once and shown in metrics
     */
    public AccountSync(String account, CursorApi api, EnterpriseApi enterpriseApi, StoreWriter store, WindowPlanner planner,
                       Map<Source, Duration> intervals, Clock clock, Runnable onStoreChanged, SyncHealth health) {
        this.health = health;
        this.polled = enterpriseApi == null ? Source.core() : List.of(Source.values());
        this.enterprise = enterpriseApi == null ? null
                : new EnterpriseSync(account, enterpriseApi, store, planner, clock);
        this.account = account;
        this.api = api;
        this.store = store;
        this.planner = planner;
        this.intervals = Map.copyOf(intervals);
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
     * Runs every source once now, in dependency order, then each again after its interval, or after its retry
     * back-off when the poll failed.
     */
    public void start() {
        for (Source source : polled) {
            executor.execute(() -> runAndReschedule(source));
        }
    }

    private void runAndReschedule(Source source) {
        boolean ok = runSafely(source);
        if (stopping) {
            return;
        }
        Duration next = intervals.get(source);
        if (ok && unfinished.remove(source)) {
            next = Duration.ZERO; // queued behind whatever is due now
        } else if (!ok) {
            int failures = failuresInARow.getOrDefault(source, 0);
            next = retryDelay(failures, next, lastFailure.get(source));
            LOG.info("{} {}: next try in {} s (failure {} in a row)", account, source.label(), next.toSeconds(),
                    failures);
        }
        try {
            executor.schedule(() -> runAndReschedule(source), next.toMillis(), TimeUnit.MILLISECONDS);
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
        List<Source> sources = source == null ? polled : List.of(source);
        return CompletableFuture.allOf(sources.stream().map(this::queueOnce).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> queueOnce(Source source) {
        return queued.computeIfAbsent(source, s -> CompletableFuture.runAsync(() -> {
            queued.remove(s);
            runSafely(s, true);
        }, executor));
    }

    /** Runs one source on the calling thread; for tests and tools that drive the sync themselves. */
    public boolean runOnce(Source source) {
        return runSafely(source, false);
    }

    private boolean runSafely(Source source) {
        return runSafely(source, false);
    }

    /** @param forced a forced sync: Enterprise sources stored as unavailable are probed again */
    private boolean runSafely(Source source, boolean forced) {
        if (stopping) {
            return false;
        }
        Instant started = clock.instant();
        SourceState before = store.sourceStates(account).getOrDefault(source, SourceState.NEVER);
        try {
            String summary = run(source, forced);
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

    private String run(Source source, boolean forced) {
        return switch (source) {
            case MEMBERS -> syncMembers();
            case SPEND -> syncSpend();
            case DAILY_USAGE -> syncDailyUsage();
            case USAGE_EVENTS -> syncUsageEvents();
            case BILLING_GROUPS, ANALYTICS, AI_CODE, AUDIT_LOGS -> {
                if (health.authFailing(account)) {
                    // a refused key says nothing about the plan: no call, no conclusion about availability
                    throw new KeyRefused();
                }
                String fingerprint = api.credentialFingerprint();
                if (!fingerprint.equals(keyFingerprint)) {
                    if (keyFingerprint != null) {
                        LOG.info("{}: the API key changed; the Enterprise sources are probed again", account);
                    }
                    keyFingerprint = fingerprint;
                    enterprise.reprobe();
                }
                yield enterprise.run(source, forced);
            }
        };
    }

    /** An Enterprise job not run because Cursor refuses the key on the core sources. */
    private static final class KeyRefused extends RuntimeException {
        KeyRefused() {
            super("not polled while Cursor refuses the API key on the core sources (see cursor_exporter_auth_failing"
                    + " and the log); availability is probed once the key is accepted", null, false, false);
        }
    }

    private String syncMembers() {
        List<Member> members = api.members();
        store.saveMembers(account, members, clock.instant());
        return members.size() + " members";
    }

    private String syncSpend() {
        SpendReport report = api.spend();
        store.saveSpend(account, report, clock.instant());
        return report.members().size() + " spend rows";
    }

    private String syncDailyUsage() {
        recordCounterEpoch();
        long started = System.nanoTime();
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, Source.DAILY_USAGE));
        long rows = 0;
        int fetchedWindows = 0;
        for (DayWindow w : windows) {
            checkNotStopping();
            if (sliceUsed(Source.DAILY_USAGE, started, windows, fetchedWindows)) {
                break;
            }
            List<DailyUsageRow> fetched = api.dailyUsage(w.from(), w.to());
            store.saveDailyUsage(account, fetched, w.from(), w.to(), w.final_());
            rows += fetched.size();
            fetchedWindows++;
            if (w.final_() && fetched.isEmpty()) {
                // Paginated daily usage has a row per member and day, active or not: nothing at all means Cursor
                // keeps no history this old, so older windows would be empty too.
                endBackfill(Source.DAILY_USAGE, w, (from, to) -> store.saveDailyUsage(account, List.of(), from, to,
                        true));
                break;
            }
        }
        return fetchedWindows + " windows, " + rows + " rows";
    }

    private String syncUsageEvents() {
        recordCounterEpoch();
        Instant now = clock.instant();
        long started = System.nanoTime();
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, Source.USAGE_EVENTS));
        AtomicLong events = new AtomicLong();
        int fetchedWindows = 0;
        for (DayWindow w : windows) {
            checkNotStopping();
            if (sliceUsed(Source.USAGE_EVENTS, started, windows, fetchedWindows)) {
                break;
            }
            long before = events.get();
            Instant from = w.from().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant endOfDay = w.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
            // A fixed end in the past keeps pages stable while newer events arrive (they sort first).
            Instant to = endOfDay.isAfter(now) ? now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) : endOfDay;
            try (EventWindow window = store.openEventWindow(account, w.from(), w.to())) {
                EventsRead read = api.usageEvents(from, to, page -> {
                    // a 30-day window can be hundreds of pages: give it up (uncommitted) rather than wait for it
                    checkNotStopping();
                    window.add(page);
                    events.addAndGet(page.size());
                });
                commit(window, w, to, read);
            }
            fetchedWindows++;
            if (w.final_() && events.get() == before) {
                endBackfill(Source.USAGE_EVENTS, w, (oldest, newest) -> {
                    try (EventWindow empty = store.openEventWindow(account, oldest, newest)) {
                        empty.commit(true);
                    }
                });
                break;
            }
        }
        return fetchedWindows + " windows, " + events.get() + " events";
    }

    /**
     * A complete read is Cursor's truth for the window's days and replaces what is stored (restated and
     * re-classified events, REFERENCE.md Q21); any other read is merged, so it adds what it saw and erases nothing.
     * A read that came back short or whose total moved while paging may have skipped an event: its final days stay
     * uncovered, to be read again at the next poll.
     */
    private void commit(EventWindow window, DayWindow w, Instant readUpTo, EventsRead read) {
        if (read.complete()) {
            window.commitReplacing(readUpTo, w.final_());
            return;
        }
        window.commit(w.final_() && read.nothingMissed());
        if (!read.nothingMissed()) {
            LOG.info("{} usage_events: {}..{} came back short or its total changed while paged ({} declared at first, "
                    + "{} rows read); merged what was read, reading it again at the next poll", account, w.from(), w.to(),
                    read.declared(), read.accepted() + read.refused() + read.outside());
        } else if (read.refused() > 0) {
            LOG.debug("{} usage_events: {} row(s) of {}..{} refused; merged instead of replacing, so their stored "
                    + "versions stay", account, read.refused(), w.from(), w.to());
        }
    }

    /**
     * Before the first window of the first backfill: the counters count event days from the first day that backfill
     * covers ({@link WindowPlanner#firstDay}) on. The store keeps an epoch once recorded (or the earliest stored day,
     * for stores from before epochs), so a later, larger {@code backfill_days} fills history without raising them.
     */
    private void recordCounterEpoch() {
        if (!epochRecorded) {
            LocalDate epoch = store.startCounterEpoch(account, planner.firstDay(today()));
            epochRecorded = true;
            LOG.info("{}: counters count event days from {} on (counter epoch)", account, epoch);
        }
    }

    /**
     * An old window came back empty: Cursor retains less history than the backfill asks for (REFERENCE.md §1.10).
     * The days before it down to the backfill start are recorded as covered, empty, so they are never asked for
     * again, and this is logged once (the next poll no longer plans them).
     */
    private void endBackfill(Source source, DayWindow empty, BiConsumer<LocalDate, LocalDate> cover) {
        LocalDate first = planner.firstDay(today());
        LocalDate last = empty.from().minusDays(1);
        if (last.isBefore(first)) {
            return;
        }
        cover.accept(first, last);
        LOG.info("{} {}: Cursor returned nothing for {}..{}; assuming it keeps no older history, the backfill ends "
                        + "there and {}..{} is recorded as empty", account, source.label(), empty.from(), empty.to(),
                first, last);
    }

    /**
     * True when the job has had its {@link #JOB_SLICE} and windows are left: it then yields (everything so far is
     * committed) and is continued as soon as the sources due meanwhile have run.
     */
    private boolean sliceUsed(Source source, long startedNanos, List<DayWindow> windows, int done) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        // only after a window that added coverage: the look-back windows come first and are re-read every run,
        // so yielding after them alone would never get the backfill further
        boolean progressed = windows.subList(0, done).stream().anyMatch(DayWindow::final_);
        int planned = windows.size();
        if (!progressed || done >= planned || elapsed.compareTo(jobSlice) < 0) {
            return false;
        }
        unfinished.add(source);
        LOG.info("{} {}: {} of {} windows in {} s; yielding to the other sources, continuing right after them",
                account, source.label(), done, planned, elapsed.toSeconds());
        return true;
    }

    /** Sets the {@link #JOB_SLICE} of this sync (tests). */
    void jobSlice(Duration slice) {
        this.jobSlice = slice;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private void checkNotStopping() {
        if (stopping) {
            throw new Stopped();
        }
    }

    /** Thrown on the sync thread at a checkpoint once a stop was requested; unwinds without committing more. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopping", null, false, false);
        }
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

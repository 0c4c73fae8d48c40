package dev.cursorexporter.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve the datasource endpoints ({@code /api/v1/daily}, {@code /totals}, {@code /members},
 * {@code /reconciliation} and
 * {@code /grafana/*}), so that Grafana's load can never occupy the threads that serve {@code /metrics} and
 * {@code /healthz} (issue 13). A datasource request is read and authenticated on one of Jetty's request threads,
 * which then hands it to these workers and is free again at once (the request continues asynchronously, Javalin's
 * {@code ctx.future}); the worker runs the handler (queries, then the answer streamed to the client).
 *
 * <p>Why this and not only more Jetty threads: a datasource request waits for one of the few computations
 * {@code DatasourceQueries} runs at once, and while it waits it holds its thread. With Jetty's one pool, a dashboard
 * refresh of many users (or 1,000 concurrent year-long queries) held every request thread, and a scrape waited in
 * Jetty's queue behind them (the issue measured 4.6–6.6 s). Reserving part of Jetty's pool would still let the
 * waiting requests hold hundreds of threads (memory in a 256 MiB container); a second port is not what users
 * scrape. Here the waiting is bounded by count: {@link #THREADS} workers and {@link #QUEUE} waiting requests;
 * a request beyond that gets 503 with {@code {"error": ...}} and {@code Retry-After} at once, never a hang.
 *
 * <p>Why {@value #THREADS} workers: the store computes at most two answers at once (more would not be faster on
 * the small machines this runs on, and each may take a quarter of the heap while it is built); the other workers
 * serve cached answers and the cheap endpoints while two computations run, so a refresh of a cached board does not
 * wait behind a cold year-long question.
 *
 * <p>Why the workers run at a lower scheduling priority ({@link #NICE}): separate threads do not separate CPUs. On
 * the two cores this typically gets, two computations and the answers being written take both, and a scrape that
 * only copies bytes it already has waits for CPU: under a Grafana-like load its median was 2.58× idle at normal
 * priority and 1.35× at nice 10 (BENCHMARKS.md, issue 13; nice 19 measured no better). Linux's scheduler gives a
 * thread at nice 10 about a tenth of the weight of one at 0, so a scrape or probe that becomes runnable gets its
 * core almost at once, while the datasource still uses every cycle nobody else wants (nice never starves it, as
 * {@code SCHED_IDLE} could on a busy host). Java's {@link Thread#setPriority} does nothing on Linux unless the JVM
 * runs with {@code -XX:ThreadPriorityPolicy=1}, so each worker renices itself when it starts ({@code renice}, of
 * bsdutils, in the image's Ubuntu base); where that fails the workers run at normal priority and it is logged once.
 */
final class DatasourceWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatasourceWorkers.class);
    /** Datasource requests running at once. */
    static final int THREADS = 4;
    /**
     * Datasource requests waiting for a worker; more are refused with 503. Far above what a few Grafana users ask at
     * once (the History board sends 12 queries per refresh; six users refreshing together send 72).
     */
    static final int QUEUE = 256;
    /** Seconds a refused client is told to wait before asking again. */
    static final String RETRY_AFTER_SECONDS = "2";
    /**
     * The workers' nice value. A system property changes it for measurements only ({@code 0}: normal priority, as
     * the benchmark compares); it is not a setting.
     */
    static final int NICE = Integer.getInteger("cursor.exporter.datasourceNice", 10);
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ThreadPoolExecutor pool;
    /** So that a failure to lower the workers' priority is logged once per server, not once per worker. */
    private final AtomicBoolean priorityWarned = new AtomicBoolean();

    DatasourceWorkers() {
        this(THREADS, QUEUE);
    }

    DatasourceWorkers(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(() -> {
                        lowerPriority(NICE);
                        r.run();
                    }, "datasource-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        // each worker lowers its priority by running renice when it starts: at start-up, not in the first
        // Grafana request (which paid ~200 ms for it and the thread's start, BENCHMARKS.md, issue 13)
        this.pool.prestartAllCoreThreads();
    }

    /**
     * {@code handler} run on a worker. Javalin starts the asynchronous request before it asks for the future, so the
     * worker never writes to a response that a request thread still owns. A failure of the handler reaches the
     * server's exception mappers as it would have on a request thread (a {@link BadRequest} stays a 400).
     */
    Handler offload(Handler handler) {
        return ctx -> ctx.future(() -> submit(ctx, handler));
    }

    private CompletableFuture<Void> submit(Context ctx, Handler handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    handler.handle(ctx);
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new Busy(pool.isShutdown() ? "the exporter is stopping"
                    : "the datasource is busy: " + pool.getActiveCount() + " requests running and "
                    + pool.getQueue().size() + " waiting, the most it takes; try again shortly");
        }
        return done;
    }

    /**
     * Sets the calling thread's nice value (Linux applies {@code setpriority} to one thread, named by its id);
     * best effort.
     *
     * @return whether it was set
     */
    boolean lowerPriority(int nice) {
        if (nice == 0) {
            return true;
        }
        String failure;
        try {
            // "<pid>/task/<tid>": the kernel's id of this thread, which Java 17 does not expose otherwise
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0) {
                return true;
            }
            failure = "renice answered " + output;
        } catch (IOException | UnsupportedOperationException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (!priorityWarned.getAndSet(true)) {
            LOG.info("datasource workers run at normal priority (could not set nice {}: {}); a scrape may then "
                    + "wait for CPU behind datasource queries", nice, failure);
        }
        return false;
    }

    /** {@code task} on a worker, or {@link RejectedExecutionException} when all are busy and the queue full. */
    void execute(Runnable task) {
        pool.execute(task);
    }

    /** Requests waiting for a worker now. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** Requests being served now. */
    int running() {
        return pool.getActiveCount();
    }

    /**
     * Waiting requests are dropped (the server has stopped: their clients see the connection close); running ones
     * are interrupted and given a few seconds to end, so that none reads the store after the caller closes it (a
     * computation in SQLite does not notice the interrupt; the exporter's shutdown bound is 10 s in all).
     */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} datasource requests still running after {} s; stopping without them",
                        pool.getActiveCount(), CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** No worker and no place in the queue: 503 with {@code Retry-After}. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.cursorexporter.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve the datasource endpoints ({@code /api/v1/daily}, {@code /totals}, {@code /members} and
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
 */
final class DatasourceWorkers implements AutoCloseable {
    /** Datasource requests running at once. */
    static final int THREADS = 4;
    /**
     * Datasource requests waiting for a worker; more are refused with 503. Far above what a few Grafana users ask at
     * once (the History board sends 11 queries per refresh; six users refreshing together send 66).
     */
    static final int QUEUE = 256;
    /** Seconds a refused client is told to wait before asking again. */
    static final String RETRY_AFTER_SECONDS = "2";

    private final ThreadPoolExecutor pool;

    DatasourceWorkers() {
        this(THREADS, QUEUE);
    }

    DatasourceWorkers(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "datasource-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
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

    /** Requests waiting for a worker now. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** Requests being served now. */
    int running() {
        return pool.getActiveCount();
    }

    /** Waiting requests are dropped (their clients see the connection close); running ones are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** No worker and no place in the queue: 503 with {@code Retry-After}. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.cursorexporter.api;

import dev.cursorexporter.model.OtlpListener;
import dev.cursorexporter.otlp.OtlpIngest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The receiver of Cursor's OpenTelemetry Export: OTLP/HTTP with binary protobuf on its own port, its own Jetty and
 * its own threads, so that a flood of pushes never takes a thread or a connection from {@code /metrics} or the
 * datasource. Only {@code POST /v1/metrics} and {@code POST /v1/logs}, each behind the bearer token (checked before
 * the body is read). A body over the limit is refused with 413 before it is read whole and, when gzipped, again as
 * it is inflated, so a small gzip bomb cannot expand in memory. Answers follow OTLP/HTTP: 200 with the
 * {@code Export*ServiceResponse} (partial success filled when items were rejected), 400 for a body that is not
 * one, 415 for another content type or encoding; error bodies are short plain text.
 */
public final class OtlpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpServer.class);
    private static final String PROTOBUF = "application/x-protobuf";
    /**
     * Cursor sends a batch a minute per family; a few threads absorb its bursts and a retrying backlog (Jetty takes
     * up to 8 of them for acceptors and selectors on a large machine, so fewer than 16 can fail to start).
     */
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;
    /**
     * Bodies read, inflated and parsed at once. Each can hold the limit twice (raw and inflated) plus its parsed
     * messages, so this, not the thread count, bounds the receiver's memory (a 256 MiB container has a 112 MiB
     * heap); the store applies one request at a time anyway.
     */
    static final int MAX_BODIES_IN_FLIGHT = 2;
    /** How long a request waits for its turn before it is answered 503 (Cursor retries logs). */
    private static final long TURN_WAIT_SECONDS = 20;

    private final Javalin app;
    private final Semaphore bodies = new Semaphore(MAX_BODIES_IN_FLIGHT, true);

    /**
     * @param auth         the receiver's bearer token (never the main port's)
     * @param maxBodyBytes largest body, compressed and inflated
     */
    public OtlpServer(String host, int port, HttpAuth auth, long maxBodyBytes, OtlpIngest ingest,
                      OtlpListener listener) {
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 60_000);
            threads.setName("otlp");
            cfg.jetty.threadPool = threads;
            cfg.http.maxRequestSize = maxBodyBytes;
            cfg.http.prefer405over404 = true;
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.routes.before(ctx -> {
                if (!auth.permits(ctx.header("Authorization"))) {
                    throw new Refused(HttpStatus.UNAUTHORIZED, "missing or wrong bearer token");
                }
            });
            cfg.routes.post("/v1/metrics", ctx -> inTurn(() -> answer(ctx, ingest.metrics(body(ctx, maxBodyBytes)))));
            cfg.routes.post("/v1/logs", ctx -> inTurn(() -> answer(ctx, ingest.logs(body(ctx, maxBodyBytes)))));
            cfg.routes.exception(Refused.class, (e, ctx) -> {
                if (e.status == HttpStatus.UNAUTHORIZED) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"cursor-exporter-otlp\"");
                }
                if (e.status == HttpStatus.SERVICE_UNAVAILABLE) {
                    ctx.header("Retry-After", "5");
                }
                plain(ctx, e.status, e.getMessage());
            });
            cfg.routes.exception(OtlpIngest.Unparsable.class,
                    (e, ctx) -> plain(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
            cfg.routes.exception(io.javalin.http.HttpResponseException.class,
                    (e, ctx) -> plain(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage()));
            // the sender went away or sent a broken stream mid-body: its problem, not the store's; no stack trace
            cfg.routes.exception(IOException.class,
                    (e, ctx) -> plain(ctx, HttpStatus.BAD_REQUEST, "the body could not be read to its end"));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // the store failed (full disk, locked file): nothing of the request was applied; Cursor retries logs
                LOG.error("OTLP {} failed; nothing of it was stored", ctx.path(), e);
                ctx.header("Retry-After", "30");
                plain(ctx, HttpStatus.SERVICE_UNAVAILABLE, "could not store the request; try again later");
            });
            cfg.routes.after(ctx -> listener.onRequest(signal(ctx.path()), ctx.statusCode()));
        });
    }

    /** One request's handling, from reading its body to answering. */
    @FunctionalInterface
    private interface Handling {
        void run() throws Exception;
    }

    /** Runs {@code handling} once fewer than {@link #MAX_BODIES_IN_FLIGHT} others are, else after a wait, or 503. */
    private void inTurn(Handling handling) throws Exception {
        if (!bodies.tryAcquire(TURN_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new Refused(HttpStatus.SERVICE_UNAVAILABLE, "the receiver is busy; try again shortly");
        }
        try {
            handling.run();
        } finally {
            bodies.release();
        }
    }

    /** A refusal with its status, raised before or while the body is read. */
    private static final class Refused extends RuntimeException {
        private final HttpStatus status;

        Refused(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static String signal(String path) {
        return switch (path) {
            case "/v1/metrics" -> OtlpIngest.METRICS;
            case "/v1/logs" -> OtlpIngest.LOGS;
            default -> "other";
        };
    }

    /** The request body, inflated when gzipped, refused past {@code limit} bytes on either side. */
    private static byte[] body(Context ctx, long limit) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (!media.equals(PROTOBUF)) {
            throw new Refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "expected Content-Type " + PROTOBUF
                    + " (OTLP/HTTP binary protobuf; JSON is not accepted)");
        }
        if (ctx.contentLength() > limit) {
            throw tooLarge(limit);
        }
        String encoding = ctx.header("Content-Encoding");
        encoding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
        byte[] raw = readAtMost(ctx.req().getInputStream(), limit);
        return switch (encoding) {
            case "identity", "" -> raw;
            case "gzip", "x-gzip" -> gunzip(raw, limit);
            default -> throw new Refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding; send gzip or none");
        };
    }

    private static byte[] gunzip(byte[] raw, long limit) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            return readAtMost(in, limit);
        } catch (ZipException | java.io.EOFException e) {
            throw new Refused(HttpStatus.BAD_REQUEST, "the body is not valid gzip");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** All of {@code in}, or 413 as soon as it passes {@code limit} bytes (never holding more than that). */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                throw tooLarge(limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static Refused tooLarge(long limit) {
        return new Refused(HttpStatus.CONTENT_TOO_LARGE, "the body (or its inflated content) is larger than " + limit
                + " bytes (otlp.max_body_size)");
    }

    private static void answer(Context ctx, byte[] response) {
        ctx.status(HttpStatus.OK).contentType(PROTOBUF).result(response);
    }

    private static void plain(Context ctx, HttpStatus status, String message) {
        ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
    }

    public OtlpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}

package dev.cursorexporter.api;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.metrics.HttpRequestRecorder;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.query.AnswerTooLarge;
import dev.cursorexporter.query.DatasourceQueries;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * The exporter's HTTP surface. Handlers only read what the sync already produced (the metrics snapshot, the
 * store); nothing here calls Cursor. Every error answer is JSON without a stack trace.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private static final String LANDING = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>cursor-exporter</title></head>
            <body>
            <h1>cursor-exporter</h1>
            <p>Cursor team usage and spend for Prometheus and Grafana (%s mode).</p>
            <ul>
            <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
            <li><a href="/healthz">/healthz</a>: process alive</li>
            <li><a href="/readyz">/readyz</a>: data available</li>
            <li><a href="/api/v1/status">/api/v1/status</a>: sync status per account and source</li>
            <li><a href="/api/v1/daily">/api/v1/daily</a> and <a href="/api/v1/totals">/api/v1/totals</a>: history per day and over a range (Grafana Infinity)</li>
            <li><a href="/api/v1/reconciliation">/api/v1/reconciliation</a>: Cursor's OpenTelemetry cost estimate against the settled cost, per day and team</li>
            </ul>
            </body></html>
            """;

    /** Far above any datasource query; a bigger body is refused with 413 before anything reads it. */
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** Request line and headers together; beyond it Jetty answers 431 (or 414 for a long URI). */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * Jetty's request threads (Javalin's default is 250). They serve {@code /metrics}, {@code /healthz}, the status
     * endpoints, and read and authenticate every request; datasource requests go on to {@link DatasourceWorkers}, so
     * no request holds one of these threads while it waits for a computation. A bound, not a reservation: 64 blocked
     * writers to slow scrapers would be needed before a scrape waits.
     */
    static final int MAX_HTTP_THREADS = 64;
    /**
     * The probes answer without credentials: a container orchestrator's liveness and readiness probes carry no
     * secret, and what they say (alive; a core source has synced) tells nothing about the data.
     */
    static final java.util.Set<String> PROBES = java.util.Set.of("/healthz", "/readyz");
    private static final int MIN_HTTP_THREADS = 4;
    private static final int HTTP_THREAD_IDLE_MS = 60_000;

    private final Javalin app;
    private final DatasourceWorkers workers = new DatasourceWorkers();

    /** @param authToken when present, every endpoint but the probes {@code /healthz} and {@code /readyz} needs {@code Authorization: Bearer} */
    public HttpServer(String host, int port, MetricsPlane metrics, Readiness readiness, String mode,
                      Optional<Secret> authToken, DatasourceQueries datasource) {
        this(host, port, metrics, readiness, mode, authToken, datasource, null);
    }

    /** @param status {@code /api/v1/status} and {@code /admin/sync}; null leaves them out */
    public HttpServer(String host, int port, MetricsPlane metrics, Readiness readiness, String mode,
                      Optional<Secret> authToken, DatasourceQueries datasource, StatusRoutes status) {
        this(host, port, metrics, readiness, mode, new HttpAuth(authToken, Optional.empty()), datasource, status);
    }

    /** @param auth what every endpoint but the probes {@code /healthz} and {@code /readyz} needs */
    public HttpServer(String host, int port, MetricsPlane metrics, Readiness readiness, String mode,
                      HttpAuth auth, DatasourceQueries datasource, StatusRoutes status) {
        this(host, port, metrics, readiness, mode, auth, datasource, status, null);
    }

    /** @param reconciliation {@code /api/v1/reconciliation}; null leaves it out */
    public HttpServer(String host, int port, MetricsPlane metrics, Readiness readiness, String mode,
                      HttpAuth auth, DatasourceQueries datasource, StatusRoutes status,
                      CostReconciliation reconciliation) {
        this(host, port, metrics, readiness, mode, auth, datasource, status, reconciliation, null);
    }

    /** @param reload {@code POST /-/reload}; null leaves it out */
    public HttpServer(String host, int port, MetricsPlane metrics, Readiness readiness, String mode,
                      HttpAuth auth, DatasourceQueries datasource, StatusRoutes status,
                      CostReconciliation reconciliation, ReloadTrigger reload) {
        String landing = LANDING.formatted(mode);
        HttpRequestRecorder requests = metrics.httpRequests();
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS, MIN_HTTP_THREADS, HTTP_THREAD_IDLE_MS);
            threads.setName("http");
            cfg.jetty.threadPool = threads;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                http.setSendServerVersion(false);
            });
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.router.treatMultipleSlashesAsSingleSlash = true; // the simPod plugin appends "/query" to its URL
            // after the answer, whatever answered it (a route, a refusal, 404): by the route's template, not the path
            RouteTemplates routes = new RouteTemplates();
            cfg.events.handlerAdded(h -> routes.added(h.getHttpMethod(), h.getPath(), cfg.router));
            cfg.requestLogger.http((ctx, millis) -> requests.record(routes.of(ctx), ctx.method().name(),
                    ctx.statusCode(), millis / 1000.0));
            cfg.routes.before(ctx -> {
                if (ctx.contentLength() > MAX_REQUEST_BYTES) {
                    throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(),
                            "request body larger than " + MAX_REQUEST_BYTES + " bytes");
                }
                if (!PROBES.contains(ctx.path()) && !auth.permits(ctx.header("Authorization"))) {
                    throw new Unauthenticated();
                }
            });
            cfg.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(landing));
            cfg.routes.get("/metrics", ctx -> {
                ctx.header("Vary", "Accept-Encoding");
                if (AcceptEncoding.allowsGzip(ctx.header("Accept-Encoding"))) {
                    MetricsPlane.GzipScrape scrape = metrics.gzipScrape(ctx.header("Accept"));
                    ctx.header("Content-Encoding", "gzip");
                    ctx.contentType(scrape.contentType()).result(scrape.stream());
                } else {
                    MetricsPlane.Scrape scrape = metrics.scrape(ctx.header("Accept"));
                    ctx.contentType(scrape.contentType()).result(scrape.stream());
                }
            });
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.get("/readyz", ctx -> {
                boolean ready = readiness.ready();
                ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .json(Map.of("status", ready ? "ready" : "waiting for the first successful sync"));
            });
            // the datasource's handlers run on their own workers (DatasourceWorkers), never on Jetty's threads
            new RestRoutes(datasource).register(cfg.routes, workers);
            new SimpodRoutes(datasource).register(cfg.routes, workers);
            if (reconciliation != null) {
                new ReconciliationRoutes(reconciliation).register(cfg.routes, workers);
            }
            if (status != null) {
                status.register(cfg);
            }
            if (reload != null) {
                new ReloadRoute(reload).register(cfg);
            }
            cfg.routes.error(404, ctx -> error(ctx, "no such endpoint: " + ctx.method() + " " + ctx.path()));
            cfg.routes.exception(Unauthenticated.class, (e, ctx) -> {
                ctx.status(HttpStatus.UNAUTHORIZED);
                auth.challenges().forEach(c -> ctx.res().addHeader("WWW-Authenticate", c));
                error(ctx, auth.problem());
            });
            // Javalin's own refusals (413 from the body-size limit, 405, …) keep their status
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
                ctx.status(e.getStatus());
                error(ctx, e.getMessage());
            });
            cfg.routes.exception(BadRequest.class, (e, ctx) -> {
                ctx.status(HttpStatus.BAD_REQUEST);
                error(ctx, e.getMessage());
            });
            cfg.routes.exception(DatasourceWorkers.Busy.class, (e, ctx) -> {
                ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
                ctx.header("Retry-After", DatasourceWorkers.RETRY_AFTER_SECONDS);
                error(ctx, e.getMessage());
            });
            cfg.routes.exception(AnswerTooLarge.class, (e, ctx) -> {
                ctx.status(HttpStatus.BAD_REQUEST);
                error(ctx, e.getMessage());
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (StoreUnavailable.in(e)) {
                    // the database cannot be reached now (PostgreSQL down or refusing): unavailable, not broken
                    LOG.warn("{} {}: the store cannot answer now: {}", ctx.method(), ctx.path(), e.getMessage());
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
                    ctx.header("Retry-After", StoreUnavailable.RETRY_AFTER_SECONDS);
                    error(ctx, "the store cannot answer now; see the exporter log");
                    return;
                }
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR);
                error(ctx, "internal error; see the exporter log");
            });
        });
    }

    /** Thrown by the auth check; mapped to 401 so that no other handler runs. */
    private static final class Unauthenticated extends RuntimeException {
        Unauthenticated() {
            super("unauthenticated", null, false, false);
        }
    }

    private static void error(Context ctx, String message) {
        ctx.json(Map.of("error", message));
    }

    public HttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        workers.close();
    }
}

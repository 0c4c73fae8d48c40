package dev.cursorexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A running fake of Cursor's team Admin API over real HTTP (REFERENCE.md §2.1, §2.3–2.5, §5, §7): the synthetic
 * organisation, its endpoints with Cursor's auth, validation, pagination, rate limits and faults, plus two
 * simulator-only resources, {@code GET /_simulator/totals} and {@code GET /_simulator/directory.csv} (no auth).
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(45).build())) {
 *     client.baseUrl(sim.baseUrl()).apiKey(sim.apiKey());
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    private static final String JSON = "application/json; charset=utf-8";

    private final SimulatorOptions options;
    private final UsageModel usage;
    private final OtelExport otelExport;
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    /** The most recent requests, bounded so that long benchmark runs do not grow without limit. */
    private final ArrayDeque<RecordedRequest> requestLog = new ArrayDeque<>();
    private final String directoryCsv;
    private final Faults responseFaults;
    private final Restatement restatement;
    private final Javalin app;
    private final AtomicReference<EnterpriseMode> enterprise;

    private Simulator(SimulatorOptions options) {
        this.options = options;
        long today = UsageModel.dayOf(options.clock().millis());
        Organisation org = Organisation.generate(options.seed(), options.users(), options.days(), today);
        this.restatement = new Restatement(options.restateDays(), options.restateAt(), options.clock());
        this.usage = new UsageModel(org, new ActivityGenerator(options.seed(),
                options.profile() == Profile.DOCS_LATEST), options.clock(), options.live(),
                options.retentionDays(), restatement);
        this.otelExport = new OtelExport(usage);
        this.responseFaults = new Faults(options.faults(), options.seed());
        this.directoryCsv = DirectoryCsv.write(org);
        CursorEndpoints endpoints = new CursorEndpoints(usage, new CursorJson(options.profile()), options,
                responseFaults);
        Authenticator auth = new Authenticator(options.apiKey(), options.acceptBearer());
        RateLimiter limiter = new RateLimiter(options.clock(), options.rateLimitWindow().toMillis(),
                options.rateLimits(), options.adminRequestsPerMinute(), options.eventsRequestsPerMinute());
        FaultInjector faults = new FaultInjector(options.errorRate(), options.seed());
        ApiGuard guard = new ApiGuard(auth, limiter, faults);
        this.enterprise = new AtomicReference<>(options.enterprise());
        EnterpriseEndpoints enterpriseEndpoints = new EnterpriseEndpoints(new EnterpriseData(usage, options.seed()));
        EnterpriseGuard enterpriseGuard = new EnterpriseGuard(auth, limiter, faults, enterprise::get,
                options.retryAfter(), responseFaults);

        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.routes.before(ctx -> requestCounts.computeIfAbsent(ctx.path(), p -> new LongAdder()).increment());
            cfg.routes.after(ctx -> record(new RecordedRequest(ctx.method().name(), ctx.path(), ctx.body(),
                    ctx.statusCode())));
            cfg.routes.get("/teams/members",
                    guard.wrap(RateLimiter.Family.ADMIN, body -> endpoints.members()));
            cfg.routes.post("/teams/daily-usage-data",
                    guard.wrap(RateLimiter.Family.ADMIN, endpoints::dailyUsage));
            cfg.routes.post("/teams/spend",
                    guard.wrap(RateLimiter.Family.ADMIN, endpoints::spend));
            cfg.routes.post("/teams/filtered-usage-events",
                    guard.wrap(RateLimiter.Family.USAGE_EVENTS, endpoints::usageEvents));
            cfg.routes.get("/teams/groups",
                    enterpriseGuard.wrap(RateLimiter.Family.ADMIN, false, enterpriseEndpoints::groups));
            for (String metric : EnterpriseEndpoints.ANALYTICS_METRICS) {
                cfg.routes.get("/analytics/team/" + metric, enterpriseGuard.wrap(RateLimiter.Family.ANALYTICS, true,
                        q -> enterpriseEndpoints.analytics(metric, q)));
            }
            cfg.routes.get("/analytics/ai-code/commits",
                    enterpriseGuard.wrap(RateLimiter.Family.AI_CODE_COMMITS, true, enterpriseEndpoints::commits));
            cfg.routes.get("/teams/audit-logs",
                    enterpriseGuard.wrap(RateLimiter.Family.ADMIN, false, enterpriseEndpoints::auditLogs));
            cfg.routes.get("/_simulator/totals",
                    ctx -> ctx.contentType(JSON).result(CursorJson.MAPPER.writeValueAsString(totals())));
            cfg.routes.get("/_simulator/directory.csv",
                    ctx -> ctx.contentType("text/csv; charset=utf-8").result(directoryCsv));
            cfg.routes.exception(ApiError.class, (e, ctx) -> respond(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> respond(ctx, ApiError.serverError(500)));
            cfg.routes.error(404, ctx -> {
                ApiError notFound = ApiError.notFound();
                ctx.contentType(JSON).result(write(notFound.body()));
            });
        });
    }

    /** Generates the organisation and starts serving; the port is bound when this returns. */
    public static Simulator start(SimulatorOptions options) {
        Simulator sim = new Simulator(options);
        sim.app.start();
        return sim;
    }

    /** e.g. {@code http://127.0.0.1:41234}; pass it to the client as Cursor's base URL. */
    public URI baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + app.port());
    }

    public int port() {
        return app.port();
    }

    public String apiKey() {
        return options.apiKey();
    }

    public SimulatorOptions options() {
        return options;
    }

    /** The independent totals as of the simulator's "now" (frozen, or the clock's instant when live). */
    public SimulatorTotals totals() {
        return TotalsCalculator.compute(usage, options.profile(), options.seed());
    }

    /** The rows {@link #totals()} sums, for tests that group or filter as a board does. */
    /** Cursor's OpenTelemetry Export of this simulator's usage, for a receiver to be pushed to. */
    public OtelExport otelExport() {
        return otelExport;
    }

    public SimulatorFacts facts() {
        return FactsCalculator.compute(usage, options.profile());
    }

    /** Switches the Enterprise plan gate while running (tests of availability and re-probing). */
    public void enterprise(EnterpriseMode mode) {
        enterprise.set(java.util.Objects.requireNonNull(mode, "mode"));
    }

    /** {@code email,team,location} header and one row per member (lower-case e-mails), newline-terminated. */
    public String directoryCsv() {
        return directoryCsv;
    }

    /** Faults a test can arm for the next requests (429 bursts, truncated bodies, slow answers). */
    public Faults faults() {
        return responseFaults;
    }

    /**
     * Sets the restatement level of the last {@link SimulatorOptions#restateDays()} days: each level adds one
     * late-counted copy of a member's event per restated day, so every figure of those days rises; 0 takes them all
     * back (which Cursor's counters would never show, but a client must survive).
     */
    public void restate(int level) {
        restatement.setLevel(level);
    }

    /**
     * Corrects events of the last {@link SimulatorOptions#restateDays()} days as Cursor does when it finalises
     * billing (REFERENCE.md Q21, the OTel export's {@code api.correction}): each member's first {@code count}
     * charged events of each of those days become, alternately, "Errored, Not Charged" and half their cost. Spend,
     * usage events and {@link #totals()} all follow; 0 takes the corrections back.
     */
    public void correct(int count) {
        restatement.setCorrections(count);
    }

    /** Requests received for a path (any method, any outcome, including 401/429/5xx), e.g. "/teams/spend". */
    public long requestCount(String path) {
        LongAdder n = requestCounts.get(path);
        return n == null ? 0 : n.sum();
    }

    /** The last {@value #REQUEST_LOG_LIMIT} requests answered, oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    private static final int REQUEST_LOG_LIMIT = 100_000;

    private void record(RecordedRequest request) {
        synchronized (requestLog) {
            if (requestLog.size() == REQUEST_LOG_LIMIT) {
                requestLog.removeFirst();
            }
            requestLog.addLast(request);
        }
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void respond(Context ctx, ApiError e) {
        ctx.status(e.status());
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.contentType(JSON).result(write(e.body()));
    }

    private static String write(ObjectNode node) {
        try {
            return CursorJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cursor's order of checks: key, then rate limit, then (injected) server failure, then the request itself. */
    private final class ApiGuard {
        private final Authenticator auth;
        private final RateLimiter limiter;
        private final FaultInjector faults;

        ApiGuard(Authenticator auth, RateLimiter limiter, FaultInjector faults) {
            this.auth = auth;
            this.limiter = limiter;
            this.faults = faults;
        }

        Handler wrap(RateLimiter.Family family, Function<RequestBody, ObjectNode> endpoint) {
            return ctx -> {
                if (!auth.accepts(ctx.header("Authorization"))) {
                    throw ApiError.unauthorized();
                }
                OptionalLong wait = limiter.acquire(family);
                if (wait.isPresent()) {
                    throw ApiError.tooManyRequests(options.retryAfter() ? wait.getAsLong() : null);
                }
                Optional<ApiError> tooMany = responseFaults.tooManyRequests(options.retryAfter());
                if (tooMany.isPresent()) {
                    throw tooMany.get();
                }
                OptionalInt fault = faults.nextFault();
                if (fault.isPresent()) {
                    throw ApiError.serverError(fault.getAsInt());
                }
                responseFaults.delay();
                RequestBody body = ctx.method().name().equals("GET") ? RequestBody.parse(null)
                        : RequestBody.parse(ctx.body());
                ObjectNode answer = responseFaults.withHostileRows(endpoint.apply(body),
                        body.has("startDate") ? body.dateRange(Integer.MAX_VALUE)[0] : 0);
                String text = responseFaults.body(write(answer));
                int drip = responseFaults.dripRate(ctx.path());
                ctx.contentType(JSON);
                if (drip > 0) {
                    Drip.send(ctx, text.getBytes(StandardCharsets.UTF_8), drip);
                } else {
                    ctx.result(text);
                }
            };
        }
    }
}

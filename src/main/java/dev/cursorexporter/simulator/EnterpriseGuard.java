package dev.cursorexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cursor's order of checks for the Enterprise endpoints: key, plan gate, then (cached endpoints) the ETag, whose
 * 304 is free of the rate limit (§1.8), then the rate limit, injected faults, and the answer.
 */
final class EnterpriseGuard {
    private static final String JSON = "application/json; charset=utf-8";
    private static final String CACHE_CONTROL = "public, max-age=900";

    private final Authenticator auth;
    private final RateLimiter limiter;
    private final FaultInjector faults;
    private final Supplier<EnterpriseMode> mode;
    private final boolean retryAfter;
    private final Faults storms;

    /** @param storms the armed faults; only a {@link Faults#storm429 storm} applies to the Enterprise endpoints */
    EnterpriseGuard(Authenticator auth, RateLimiter limiter, FaultInjector faults, Supplier<EnterpriseMode> mode,
                    boolean retryAfter, Faults storms) {
        this.storms = storms;
        this.auth = auth;
        this.limiter = limiter;
        this.faults = faults;
        this.mode = mode;
        this.retryAfter = retryAfter;
    }

    /**
     * @param cached true for Analytics and AI Code Tracking: {@code ETag}, {@code Cache-Control} and 304 on a
     *               matching {@code If-None-Match}
     */
    Handler wrap(RateLimiter.Family family, boolean cached, Function<Function<String, String>, ObjectNode> endpoint) {
        return ctx -> {
            if (!auth.accepts(ctx.header("Authorization"))) {
                throw ApiError.unauthorized();
            }
            switch (mode.get()) {
                case OFF -> throw ApiError.enterpriseRequired();
                case OFF_DOCS -> throw ApiError.enterpriseForbidden();
                default -> {
                    // available
                }
            }
            if (storms.storming()) {
                throw ApiError.tooManyRequests(null);
            }
            String body = write(endpoint.apply(ctx::queryParam));
            String etag = cached ? etag(body) : null;
            if (etag != null && etag.equals(ctx.header("If-None-Match"))) {
                ctx.header("ETag", etag).header("Cache-Control", CACHE_CONTROL).status(304);
                return;
            }
            OptionalLong wait = limiter.acquire(family);
            if (wait.isPresent()) {
                throw ApiError.tooManyRequests(retryAfter ? wait.getAsLong() : null);
            }
            OptionalInt fault = faults.nextFault();
            if (fault.isPresent()) {
                throw ApiError.serverError(fault.getAsInt());
            }
            if (etag != null) {
                ctx.header("ETag", etag).header("Cache-Control", CACHE_CONTROL);
            }
            ctx.contentType(JSON).result(body);
        };
    }

    /** A strong validator of the exact body: the same data gives the same ETag. */
    static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(ObjectNode node) throws JsonProcessingException {
        return CursorJson.MAPPER.writeValueAsString(node);
    }
}

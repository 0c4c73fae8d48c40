package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.RetryPolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.model.Secret;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One JSON exchange with Cursor, retried per {@link RetryPolicy}: authenticates, reports every HTTP exchange to
 * the {@link ApiCallListener}, maps failures to {@link CursorApiException} with the key scrubbed from every message.
 */
final class ApiTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CursorClient.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl baseUrl;
    private final OkHttpClient http;
    private final Secret apiKey;
    private final ClientSettings settings;
    private final ApiCallListener listener;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final RateBudget budget;

    ApiTransport(HttpUrl baseUrl, Secret apiKey, ClientSettings settings, ApiCallListener listener,
                 Sleeper sleeper, Clock clock, ObjectMapper mapper, RateBudget budget) {
        this.baseUrl = baseUrl;
        this.budget = budget;
        this.settings = settings;
        this.listener = listener;
        this.sleeper = sleeper;
        this.clock = clock;
        this.mapper = mapper;
        // read at every request: a key file may be rotated while the exporter runs
        this.apiKey = apiKey;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                // our loop is the only retry, so every exchange is counted and backed off
                .retryOnConnectionFailure(false)
                // idle connections are dropped before the server's idle timeout (ClientSettings#idleKeepAlive):
                // with polls a minute apart, reusing one it had closed was a failed call on every poll
                .connectionPool(new ConnectionPool(5, settings.idleKeepAlive().toMillis(), TimeUnit.MILLISECONDS))
                // never carry the key to another location; Cursor does not redirect
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    JsonNode get(String path) {
        return exchange("GET", path, null);
    }

    /** GET with query parameters (in the order given), e.g. the Analytics and AI Code Tracking endpoints. */
    JsonNode get(String path, Map<String, String> query) {
        return send(request("GET", path, null, query, null), path, "GET " + path).body();
    }

    /**
     * GET with {@code If-None-Match: etag} when {@code etag} is not null (REFERENCE.md §1.8). A 304 comes back as
     * {@link Conditional#notModified()}; it is counted like any other call (code 304) but Cursor does not charge
     * it against the rate limit.
     */
    Conditional getConditional(String path, Map<String, String> query, String etag) {
        return send(request("GET", path, null, query, etag), path, "GET " + path);
    }

    /** A conditional answer: {@code body} null means 304 Not Modified; {@code etag} as the server sent it. */
    record Conditional(JsonNode body, String etag) {
        boolean notModified() {
            return body == null;
        }
    }

    JsonNode post(String path, JsonNode body) {
        try {
            return exchange("POST", path, mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }

    private JsonNode exchange(String method, String path, byte[] body) {
        return send(request(method, path, body, Map.of(), null), path, method + " " + path).body();
    }

    private Conditional send(Request request, String path, String label) {
        RetryPolicy policy = settings.retry();
        int timeouts = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return attemptOnce(request, path, label);
            } catch (AttemptFailure failure) {
                // A server that drips its answer holds the account's one sync thread for a whole call timeout
                // per attempt: one retry of a timeout, not all of them, before the poll gives up.
                boolean timedOutTwice = failure.getCause() instanceof InterruptedIOException && ++timeouts >= 2;
                if (!failure.retryable || attempt >= policy.maxAttempts() || timedOutTwice) {
                    String suffix = attempt > 1 ? " (gave up after " + attempt + " attempts)" : "";
                    throw new CursorApiException(path, failure.status, failure.getMessage() + suffix,
                            failure.getCause(), failure.retryAfter);
                }
                Duration wait = failure.retryAfter != null
                        ? policy.capWait(failure.retryAfter)
                        : policy.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                LOG.warn("{}; retry {} of {} in {} ms", failure.getMessage(), attempt, policy.maxAttempts() - 1,
                        wait.toMillis());
                pause(wait, path, label);
            }
        }
    }

    /** The first 8 bytes of SHA-256 of the key as it is now, hex: tells a rotated key apart, reveals nothing. */
    String credentialFingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(apiKey.reveal().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    /** Basic auth with the key as user name and an empty password (REFERENCE.md §1.2). */
    private static String authorization(String key) {
        return Credentials.basic(key, "", StandardCharsets.UTF_8);
    }

    private SecretScrubber scrubber() {
        String key = apiKey.reveal();
        String authorization = authorization(key);
        return new SecretScrubber(key, authorization, authorization.substring("Basic ".length()));
    }

    private Request request(String method, String path, byte[] body, Map<String, String> query, String etag) {
        HttpUrl.Builder url = baseUrl.newBuilder().addPathSegments(path.substring(1));
        query.forEach(url::addQueryParameter);
        Request.Builder builder = new Request.Builder()
                .url(url.build())
                .header("Authorization", authorization(apiKey.reveal()))
                .header("Accept", "application/json")
                .header("User-Agent", settings.userAgent());
        if (etag != null) {
            builder.header("If-None-Match", etag);
        }
        return body == null ? builder.get().build() : builder.post(RequestBody.create(body, JSON)).build();
    }

    private Conditional attemptOnce(Request request, String path, String label) throws AttemptFailure {
        try {
            // every exchange, retries included, counts against Cursor's limit, so every one takes from the budget
            budget.acquire(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttemptFailure(0, label + ": interrupted while waiting for the rate budget", e, false, null);
        }
        Response response;
        try {
            response = http.newCall(request).execute();
        } catch (IOException e) {
            report(path, "error");
            throw ioFailure(label, e);
        }
        try (response) {
            int code = response.code();
            report(path, Integer.toString(code));
            String text;
            try {
                text = boundedBody(response, label);
            } catch (IOException e) {
                throw ioFailure(label, e);
            }
            if (code == 304 && request.header("If-None-Match") != null) {
                return new Conditional(null, response.header("ETag", request.header("If-None-Match")));
            }
            if (code >= 200 && code < 300) {
                return new Conditional(parse(label, text), response.header("ETag"));
            }
            throw httpFailure(label, code, text, response.headers());
        }
    }

    /**
     * The body, read only up to {@link ClientSettings#maxAnswerBytes()}: a declared or actual larger body fails the
     * call (not retried: the same question gets the same answer) before it is held in memory.
     */
    private String boundedBody(Response response, String label) throws IOException, AttemptFailure {
        long limit = settings.maxAnswerBytes();
        okhttp3.ResponseBody body = response.body();
        if (body.contentLength() > limit || body.source().request(limit + 1)) {
            String size = body.contentLength() > limit ? body.contentLength() + " bytes" : "more than " + limit
                    + " bytes";
            throw new AttemptFailure(0, label + ": answer too large (" + size + ", the limit is "
                    + limit + " bytes, sync.max_answer_size); not read further", null, false, null);
        }
        MediaType type = body.contentType();
        java.nio.charset.Charset charset = type == null ? StandardCharsets.UTF_8
                : type.charset(StandardCharsets.UTF_8);
        return body.source().readString(charset);
    }

    private JsonNode parse(String label, String text) throws AttemptFailure {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                String got = node == null || node.isMissingNode() ? "an empty body" : node.getNodeType().name();
                throw new AttemptFailure(0, label + ": malformed JSON (expected an object, got " + got + ")",
                        null, true, null);
            }
            return node;
        } catch (JsonProcessingException e) {
            String detail = ErrorBodies.clip(scrubber().scrub(String.valueOf(e.getOriginalMessage())));
            throw new AttemptFailure(0, label + ": malformed JSON (" + detail + ")", e, true, null);
        }
    }

    private AttemptFailure httpFailure(String label, int code, String body, Headers headers) {
        SecretScrubber scrubber = scrubber();
        String reason = ErrorBodies.reason(mapper, body, scrubber::scrub);
        String message = label + ": HTTP " + code + (reason.isEmpty() ? "" : " " + reason);
        boolean retryable = code == 429 || code == 408 || code >= 500;
        return new AttemptFailure(code, message, null, retryable, retryable ? retryAfter(headers) : null);
    }

    private AttemptFailure ioFailure(String label, IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            return new AttemptFailure(0, label + ": interrupted", e, false, null);
        }
        // OkHttp's whole-call deadline is a bare InterruptedIOException; connect and read timeouts are its
        // SocketTimeoutException subclass. Saying which one fired tells a silent server from a trickling one.
        String kind;
        if (e instanceof SocketTimeoutException) {
            kind = "timeout";
        } else if (e instanceof InterruptedIOException) {
            kind = "timeout: no complete answer within the " + settings.callTimeout().toSeconds()
                    + " s call deadline";
        } else {
            kind = "I/O error";
        }
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new AttemptFailure(0, label + ": " + kind + " (" + ErrorBodies.clip(scrubber().scrub(detail)) + ")",
                e, true, null);
    }

    /** {@code Retry-After} as delta-seconds or HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    private Duration retryAfter(Headers headers) {
        String value = headers.get("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            return seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
                    ? settings.retry().maxWait()
                    : Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException e) {
            Instant at = headers.getInstant("Retry-After");
            return at == null ? null : Duration.between(clock.instant(), at);
        }
    }

    private void pause(Duration wait, String path, String label) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CursorApiException(path, 0, label + ": interrupted while waiting to retry", e);
        }
    }

    private void report(String path, String code) {
        try {
            listener.onCall(path, code);
        } catch (RuntimeException e) {
            // counting calls must never break the call itself
            LOG.warn("API call listener failed for {} {}: {}", path, code, e.toString());
        }
    }

    /** Cancels every call in flight (blocking ones included): their threads get an IOException at once. */
    void cancelCalls() {
        http.dispatcher().cancelAll();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "ApiTransport[" + baseUrl + "]";
    }

    /** A failed attempt; internal control flow, so no stack trace. */
    private static final class AttemptFailure extends Exception {
        final int status;
        final boolean retryable;
        final Duration retryAfter;

        AttemptFailure(int status, String message, Throwable cause, boolean retryable, Duration retryAfter) {
            super(message, cause, false, false);
            this.status = status;
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }
    }
}

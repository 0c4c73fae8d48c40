package dev.cursorexporter.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the Cursor client.
 *
 * @param dailyUsagePageSize users per page of {@code /teams/daily-usage-data}
 * @param spendPageSize      members per page of {@code /teams/spend}
 * @param eventsPageSize     events per page of {@code /teams/filtered-usage-events} (documented max 1000)
 * @param connectTimeout     TCP/TLS connect timeout
 * @param readTimeout        longest silence while reading a response
 * @param callTimeout        whole-exchange limit so a trickling body cannot hang a sync; {@link Duration#ZERO} = none
 * @param retry              retry and backoff policy, applied per page
 * @param userAgent          {@code User-Agent} header value
 * @param idleKeepAlive      how long an idle connection is kept for reuse; below common server idle timeouts
 *                           (Jetty 30 s, load balancers 60 s), because reusing a connection the server has closed
 *                           fails the call ("unexpected end of stream")
 * @param maxAnswerBytes     largest answer body read; a larger one fails the call without being read further
 *                           (Cursor's largest page, 1,000 events, is about 1 MB; a 200 MB answer would otherwise be
 *                           held whole in a 256 MiB container)
 */
public record ClientSettings(int dailyUsagePageSize, int spendPageSize, int eventsPageSize,
                             Duration connectTimeout, Duration readTimeout, Duration callTimeout,
                             RetryPolicy retry, String userAgent, Duration idleKeepAlive,
                             long maxAnswerBytes) {

    public ClientSettings {
        requirePositive(dailyUsagePageSize, "dailyUsagePageSize");
        requirePositive(spendPageSize, "spendPageSize");
        requirePositive(eventsPageSize, "eventsPageSize");
        requireNonNegative(connectTimeout, "connectTimeout");
        requireNonNegative(readTimeout, "readTimeout");
        requireNonNegative(callTimeout, "callTimeout");
        Objects.requireNonNull(retry, "retry");
        if (maxAnswerBytes < 1024) {
            throw new IllegalArgumentException("maxAnswerBytes must be at least 1024, was " + maxAnswerBytes);
        }
        Objects.requireNonNull(idleKeepAlive, "idleKeepAlive");
        if (idleKeepAlive.isNegative() || idleKeepAlive.isZero()) {
            throw new IllegalArgumentException("idleKeepAlive must be positive, was " + idleKeepAlive);
        }
        Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be non-blank printable ASCII");
        }
    }

    /**
     * Page sizes 500/500/1000, connect 10 s, read 60 s, call 2 min, {@link RetryPolicy#defaults()}, idle
     * connections kept 20 s, answers up to {@link #DEFAULT_MAX_ANSWER_BYTES}.
     */
    public static ClientSettings defaults() {
        return new ClientSettings(500, 500, 1000, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(2), RetryPolicy.defaults(), defaultUserAgent(), Duration.ofSeconds(20),
                DEFAULT_MAX_ANSWER_BYTES);
    }

    /** 32 MiB: thirty times Cursor's largest page, an eighth of a 256 MiB container. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 32L * 1024 * 1024;

    public ClientSettings withMaxAnswerBytes(long bytes) {
        return new ClientSettings(dailyUsagePageSize, spendPageSize, eventsPageSize, connectTimeout, readTimeout,
                callTimeout, retry, userAgent, idleKeepAlive, bytes);
    }

    public ClientSettings withIdleKeepAlive(Duration keepAlive) {
        return new ClientSettings(dailyUsagePageSize, spendPageSize, eventsPageSize, connectTimeout, readTimeout,
                callTimeout, retry, userAgent, keepAlive, maxAnswerBytes);
    }

    public ClientSettings withRetry(RetryPolicy newRetry) {
        return new ClientSettings(dailyUsagePageSize, spendPageSize, eventsPageSize, connectTimeout, readTimeout,
                callTimeout, newRetry, userAgent, idleKeepAlive, maxAnswerBytes);
    }

    public ClientSettings withPageSizes(int dailyUsage, int spend, int events) {
        return new ClientSettings(dailyUsage, spend, events, connectTimeout, readTimeout, callTimeout, retry,
                userAgent, idleKeepAlive, maxAnswerBytes);
    }

    public ClientSettings withTimeouts(Duration connect, Duration read, Duration call) {
        return new ClientSettings(dailyUsagePageSize, spendPageSize, eventsPageSize, connect, read, call, retry,
                userAgent, idleKeepAlive, maxAnswerBytes);
    }

    public ClientSettings withUserAgent(String newUserAgent) {
        return new ClientSettings(dailyUsagePageSize, spendPageSize, eventsPageSize, connectTimeout, readTimeout,
                callTimeout, retry, newUserAgent, idleKeepAlive, maxAnswerBytes);
    }

    /** {@code cursor-exporter/<Implementation-Version>}, or {@code cursor-exporter/dev} outside a versioned jar. */
    public static String defaultUserAgent() {
        String version = ClientSettings.class.getPackage().getImplementationVersion();
        return "cursor-exporter/" + (version == null || version.isBlank() ? "dev" : version);
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}

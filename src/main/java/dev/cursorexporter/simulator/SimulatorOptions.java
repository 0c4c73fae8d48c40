package dev.cursorexporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Every knob of the simulator. Build with {@link #builder()} (defaults below) or adjust an existing value with
 * {@link #toBuilder()}.
 *
 * @param port                    TCP port; 0 picks a free one
 * @param host                    bind address
 * @param apiKey                  the only key accepted (HTTP Basic username, empty password)
 * @param users                   current (not removed) members; a few removed members come on top
 * @param days                    UTC days of history ending with today (today is partial)
 * @param seed                    everything generated derives from it
 * @param profile                 response shapes to imitate
 * @param live                    true: "now" follows {@code clock}, so data keeps appearing; false: "now" is frozen at
 *                                the clock's instant when the simulator starts
 * @param clock                   time source for "now" and for the rate-limit windows
 * @param rateLimits              enforce the per-family limits below
 * @param adminRequestsPerMinute  limit for members, daily usage and spend together (Cursor: 20)
 * @param eventsRequestsPerMinute limit for filtered usage events (Cursor: 60)
 * @param retryAfter              send {@code Retry-After} with 429 answers
 * @param acceptBearer            also accept {@code Authorization: Bearer <key>}
 * @param maxRangeDays            longest allowed {@code endDate - startDate}, in days
 * @param maxEventsPageSize       largest accepted usage-events {@code pageSize}; larger ones are rejected with 400
 * @param removedMembers          how removed members appear in {@code /teams/members}
 * @param errorRate               fraction (0..1) of API requests answered 500/502/503 (seeded random)
 * @param retentionDays           0 = unlimited; otherwise only the last N UTC days (today included) of usage data
 *                                are served
 * @param enterprise              whether billing groups, Analytics and AI Code Tracking answer (see
 *                                {@link EnterpriseMode}); {@link Simulator#enterprise(EnterpriseMode)} changes it live
 * @param faults                  429s, truncated bodies and slow answers on top of {@code errorRate}
 * @param rateLimitWindow         length of the fixed rate-limit window (Cursor: one minute); tests shorten it
 * @param restateDays             how many of the most recent UTC days (today included) a restatement raises
 * @param restateAt               when the restatement happens on its own (by {@code clock}); empty = only when a
 *                                test calls {@link Simulator#restate(int)}
 */
public record SimulatorOptions(
        int port,
        String host,
        String apiKey,
        int users,
        int days,
        long seed,
        Profile profile,
        boolean live,
        Clock clock,
        boolean rateLimits,
        int adminRequestsPerMinute,
        int eventsRequestsPerMinute,
        boolean retryAfter,
        boolean acceptBearer,
        int maxRangeDays,
        int maxEventsPageSize,
        RemovedMembers removedMembers,
        double errorRate,
        int retentionDays,
        EnterpriseMode enterprise,
        FaultOptions faults,
        Duration rateLimitWindow,
        int restateDays,
        Optional<Instant> restateAt) {

    public SimulatorOptions {
        Objects.requireNonNull(enterprise, "enterprise");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(removedMembers, "removedMembers");
        require(port >= 0 && port <= 65_535, "port must be between 0 and 65535");
        require(!host.isBlank(), "host must not be blank");
        require(!apiKey.isEmpty(), "apiKey must not be empty");
        require(users >= 1, "users must be at least 1");
        require(days >= 1, "days must be at least 1");
        require(adminRequestsPerMinute >= 1, "adminRequestsPerMinute must be at least 1");
        require(eventsRequestsPerMinute >= 1, "eventsRequestsPerMinute must be at least 1");
        require(maxRangeDays >= 1, "maxRangeDays must be at least 1");
        require(maxEventsPageSize >= 1, "maxEventsPageSize must be at least 1");
        require(errorRate >= 0 && errorRate <= 1, "errorRate must be between 0 and 1");
        require(retentionDays >= 0, "retentionDays must not be negative");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        Objects.requireNonNull(restateAt, "restateAt");
        require(rateLimitWindow.toMillis() >= 1, "rateLimitWindow must be at least 1ms");
        require(restateDays >= 0, "restateDays must not be negative");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static SimulatorOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Masks the key: even a fake key should not teach anyone to log keys. */
    @Override
    public String toString() {
        return "SimulatorOptions[port=" + port + ", host=" + host + ", apiKey=***, users=" + users + ", days=" + days
                + ", seed=" + seed + ", profile=" + profile.id() + ", live=" + live + ", rateLimits=" + rateLimits
                + ", adminRequestsPerMinute=" + adminRequestsPerMinute + ", eventsRequestsPerMinute="
                + eventsRequestsPerMinute + ", retryAfter=" + retryAfter + ", acceptBearer=" + acceptBearer
                + ", maxRangeDays=" + maxRangeDays + ", maxEventsPageSize=" + maxEventsPageSize
                + ", removedMembers=" + removedMembers + ", errorRate=" + errorRate + ", retentionDays="
                + retentionDays + ", enterprise=" + enterprise.id() + ", faults=" + faults + ", rateLimitWindow="
                + rateLimitWindow + ", restateDays=" + restateDays + ", restateAt=" + restateAt + "]";
    }

    /** Mutable builder; every setter returns {@code this}. */
    public static final class Builder {
        private int port = 0;
        private String host = "127.0.0.1";
        private String apiKey = "sim-key";
        private int users = 40;
        private int days = 90;
        private long seed = 42;
        private Profile profile = Profile.DOCS_LATEST;
        private boolean live = true;
        private Clock clock = Clock.systemUTC();
        private boolean rateLimits = true;
        private int adminRequestsPerMinute = 20;
        private int eventsRequestsPerMinute = 60;
        private boolean retryAfter = false;
        private boolean acceptBearer = false;
        private int maxRangeDays = 30;
        private int maxEventsPageSize = 1000;
        private RemovedMembers removedMembers = RemovedMembers.LISTED;
        private double errorRate = 0;
        private int retentionDays = 0;
        private EnterpriseMode enterprise = EnterpriseMode.ON;
        private FaultOptions faults = FaultOptions.NONE;
        private Duration rateLimitWindow = Duration.ofMinutes(1);
        private int restateDays = 2;
        private Optional<Instant> restateAt = Optional.empty();

        private Builder() {
        }

        private Builder(SimulatorOptions o) {
            port = o.port;
            host = o.host;
            apiKey = o.apiKey;
            users = o.users;
            days = o.days;
            seed = o.seed;
            profile = o.profile;
            live = o.live;
            clock = o.clock;
            rateLimits = o.rateLimits;
            adminRequestsPerMinute = o.adminRequestsPerMinute;
            eventsRequestsPerMinute = o.eventsRequestsPerMinute;
            retryAfter = o.retryAfter;
            acceptBearer = o.acceptBearer;
            maxRangeDays = o.maxRangeDays;
            maxEventsPageSize = o.maxEventsPageSize;
            removedMembers = o.removedMembers;
            errorRate = o.errorRate;
            retentionDays = o.retentionDays;
            enterprise = o.enterprise;
            faults = o.faults;
            rateLimitWindow = o.rateLimitWindow;
            restateDays = o.restateDays;
            restateAt = o.restateAt;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder apiKey(String v) {
            apiKey = v;
            return this;
        }

        public Builder users(int v) {
            users = v;
            return this;
        }

        public Builder days(int v) {
            days = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder profile(Profile v) {
            profile = v;
            return this;
        }

        public Builder live(boolean v) {
            live = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder rateLimits(boolean v) {
            rateLimits = v;
            return this;
        }

        public Builder adminRequestsPerMinute(int v) {
            adminRequestsPerMinute = v;
            return this;
        }

        public Builder eventsRequestsPerMinute(int v) {
            eventsRequestsPerMinute = v;
            return this;
        }

        public Builder retryAfter(boolean v) {
            retryAfter = v;
            return this;
        }

        public Builder acceptBearer(boolean v) {
            acceptBearer = v;
            return this;
        }

        public Builder maxRangeDays(int v) {
            maxRangeDays = v;
            return this;
        }

        public Builder maxEventsPageSize(int v) {
            maxEventsPageSize = v;
            return this;
        }

        public Builder removedMembers(RemovedMembers v) {
            removedMembers = v;
            return this;
        }

        public Builder errorRate(double v) {
            errorRate = v;
            return this;
        }

        public Builder retentionDays(int v) {
            retentionDays = v;
            return this;
        }

        public Builder enterprise(EnterpriseMode v) {
            enterprise = v;
            return this;
        }

        public Builder faults(FaultOptions v) {
            faults = v;
            return this;
        }

        public Builder rateLimitWindow(Duration v) {
            rateLimitWindow = v;
            return this;
        }

        public Builder restateDays(int v) {
            restateDays = v;
            return this;
        }

        public Builder restateAt(Instant v) {
            restateAt = Optional.ofNullable(v);
            return this;
        }

        public SimulatorOptions build() {
            return new SimulatorOptions(port, host, apiKey, users, days, seed, profile, live, clock, rateLimits,
                    adminRequestsPerMinute, eventsRequestsPerMinute, retryAfter, acceptBearer, maxRangeDays,
                    maxEventsPageSize, removedMembers, errorRate, retentionDays, enterprise, faults, rateLimitWindow,
                    restateDays, restateAt);
        }
    }
}

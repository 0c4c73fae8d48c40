package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The running simulator's response faults: the random ones of {@link FaultOptions} plus faults a test arms for the
 * next requests ({@link Simulator#faults()}), so a scenario such as "a burst of 429s, then one truncated page" is
 * exact rather than probable. Applies to the Cursor API endpoints only, after authentication and the rate limit.
 */
public final class Faults {
    private final FaultOptions options;
    private final SplittableRandom random;
    private final AtomicInteger burst = new AtomicInteger();
    private volatile boolean burstRetryAfter;
    private final AtomicInteger truncations = new AtomicInteger();
    private final AtomicInteger slows = new AtomicInteger();
    /** Epoch ms until which every API request is answered 429 without {@code Retry-After}; 0 = no storm. */
    private volatile long stormUntilMs;
    private volatile boolean hostileRows;
    private final AtomicInteger oversized = new AtomicInteger();
    private volatile int oversizeBytes;
    private final AtomicInteger hostileSeq = new AtomicInteger();
    private volatile boolean endlessPages;
    /** Path whose answers trickle out, or null; {@link #dripBytesPerSecond} bytes a second. */
    private volatile String dripPath;
    private volatile int dripBytesPerSecond;

    Faults(FaultOptions options, long seed) {
        this.options = options;
        this.random = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
    }

    /**
     * Answers the next {@code count} API requests 429.
     *
     * @param retryAfter whether they carry {@code Retry-After: 1}
     */
    public void burst429(int count, boolean retryAfter) {
        burstRetryAfter = retryAfter;
        burst.set(count);
    }

    /**
     * A 429 storm: every API request for {@code duration} from now (wall clock) is answered 429 without
     * {@code Retry-After}, as during an incident on Cursor's side.
     */
    public void storm429(Duration duration) {
        stormUntilMs = System.currentTimeMillis() + duration.toMillis();
    }

    /**
     * Pads the next {@code count} successful answers with {@code bytes} of trailing whitespace (still valid JSON):
     * an answer far larger than any real page, as a misbehaving proxy or API could send.
     */
    public void oversizeNext(int count, int bytes) {
        oversizeBytes = bytes;
        oversized.set(count);
    }

    /** Cuts the body of the next {@code count} successful answers in the middle of the JSON. */
    public void truncateNext(int count) {
        truncations.set(count);
    }

    /** Holds back the next {@code count} answers by {@link FaultOptions#slowDelay()}. */
    public void slowNext(int count) {
        slows.set(count);
    }

    /**
     * Adds hostile rows to every non-empty page of usage events, daily usage and spend: copies of the page's first
     * row with one value no real answer has (negative, absurd, malformed, outside the window asked for, dated
     * 2100). They come on top of the real rows, so {@link Simulator#totals()} stays what a client that refuses
     * them must show.
     */
    public void hostileRows(boolean on) {
        hostileRows = on;
    }

    /**
     * Usage-event pagination that never ends: every page says another follows, and pages past the last serve the
     * earlier pages again, as a server whose cursor is stuck would. {@code false} restores honest paging.
     */
    public void endlessPages(boolean on) {
        endlessPages = on;
    }

    boolean endlessPages() {
        return endlessPages;
    }

    /**
     * Streams every answer of {@code path} (e.g. {@code /teams/filtered-usage-events}) at {@code bytesPerSecond},
     * flushed in small chunks: a connection that never goes silent long enough for a read timeout, only a
     * whole-call deadline ends it. {@code null} stops it.
     */
    public void drip(String path, int bytesPerSecond) {
        if (path != null && bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be positive");
        }
        dripBytesPerSecond = bytesPerSecond;
        dripPath = path;
    }

    /** Bytes a second when the answers of {@code path} drip, else 0. */
    int dripRate(String path) {
        String dripping = dripPath;
        return dripping != null && dripping.equals(path) ? dripBytesPerSecond : 0;
    }

    /** The answer with the armed hostile rows added (the same tree, changed in place). */
    ObjectNode withHostileRows(ObjectNode root,
                                                                   long windowStartMs) {
        if (!hostileRows) {
            return root;
        }
        hostile(root.path("usageEvents"), row -> {
            switch (hostileSeq.getAndIncrement() % 6) {
                case 0 -> row.put("chargedCents", -5);
                case 1 -> row.put("chargedCents", new BigDecimal("1e999999999"));
                case 2 -> row.putObject("tokenUsage").put("inputTokens", -1);
                case 3 -> row.put("requestsCosts", "abc");
                case 4 -> row.put("cursorTokenFee", new BigDecimal("1e30"));
                default -> row.put("timestamp", Long.toString(windowStartMs - 1));
            }
        });
        hostile(root.path("data"), row -> {
            if (hostileSeq.getAndIncrement() % 2 == 0) {
                row.put("totalLinesAdded", -3);
            } else {
                row.put("day", "2100-01-01");
                row.put("date", LocalDate.of(2100, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant()
                        .toEpochMilli());
            }
        });
        hostile(root.path("teamMemberSpend"), row -> row.put("spendCents", -100));
        return root;
    }

    private static void hostile(JsonNode rows,
                                Consumer<ObjectNode> change) {
        if (rows instanceof ArrayNode array && !array.isEmpty()
                && array.get(0) instanceof ObjectNode first) {
            ObjectNode copy = first.deepCopy();
            change.accept(copy);
            array.add(copy);
        }
    }

    /** Whether a {@link #storm429 storm} is going on. */
    boolean storming() {
        return System.currentTimeMillis() < stormUntilMs;
    }

    /** A 429 to answer instead of serving, armed or random. */
    Optional<ApiError> tooManyRequests(boolean retryAfterFlag) {
        if (storming()) {
            return Optional.of(ApiError.tooManyRequests(null));
        }
        if (takeOne(burst)) {
            return Optional.of(ApiError.tooManyRequests(burstRetryAfter ? 1L : null));
        }
        if (chance(options.tooManyRate())) {
            return Optional.of(ApiError.tooManyRequests(retryAfterFlag ? 1L : null));
        }
        return Optional.empty();
    }

    /** Sleeps for the fixed latency, and longer when this answer is slow. */
    void delay() throws InterruptedException {
        long ms = options.latency().toMillis();
        if (takeOne(slows) || chance(options.slowRate())) {
            ms += options.slowDelay().toMillis();
        }
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /** The body as sent: whole, or cut in the middle when this answer is truncated. */
    String body(String json) {
        if (takeOne(oversized)) {
            return json + " ".repeat(oversizeBytes);
        }
        if (takeOne(truncations) || chance(options.truncateRate())) {
            return json.substring(0, json.length() / 2);
        }
        return json;
    }

    private synchronized boolean chance(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}

package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cursorexporter.config.AccountConfig;
import dev.cursorexporter.config.Secret;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link CursorApi} over HTTP (OkHttp), faithful to REFERENCE.md §1, §2.1, §2.3–2.5 and §6. Read-only: it calls
 * only the four endpoints below. Every page is fetched with its own retries (a retry never restarts a window).
 * Thread-safe; {@link #close()} releases the connection pool.
 */
public final class CursorClient implements CursorApi, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CursorClient.class);

    static final String MEMBERS = "/teams/members";
    static final String SPEND = "/teams/spend";
    static final String DAILY_USAGE = "/teams/daily-usage-data";
    static final String USAGE_EVENTS = "/teams/filtered-usage-events";

    /** Guard against a server that claims another page forever. */
    static final int MAX_PAGES = 10_000;

    private final URI baseUrl;
    private final ClientSettings settings;
    private final ObjectMapper mapper;
    private final ApiTransport transport;
    private final PayloadParser parser = new PayloadParser();
    private final EnterpriseClient enterprise;

    public CursorClient(URI baseUrl, Secret apiKey, ClientSettings settings, ApiCallListener listener,
                        Sleeper sleeper) {
        this(baseUrl, apiKey, settings, listener, sleeper, Clock.systemUTC());
    }

    /** @param clock only used to turn an HTTP-date {@code Retry-After} into a wait */
    public CursorClient(URI baseUrl, Secret apiKey, ClientSettings settings, ApiCallListener listener,
                        Sleeper sleeper, Clock clock) {
        this(baseUrl, apiKey, settings, listener, sleeper, clock, RateBudget.unlimited());
    }

    /**
     * @param clock  only used to turn an HTTP-date {@code Retry-After} into a wait
     * @param budget the account's request budget, taken from before every exchange (retries included)
     */
    public CursorClient(URI baseUrl, Secret apiKey, ClientSettings settings, ApiCallListener listener,
                        Sleeper sleeper, Clock clock, RateBudget budget) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        this.baseUrl = baseUrl;
        this.settings = Objects.requireNonNull(settings, "settings");
        HttpUrl base = HttpUrl.parse(baseUrl.toString());
        if (base == null) {
            throw new IllegalArgumentException("Cursor API base URL must be an http(s) URL: " + baseUrl);
        }
        this.mapper = newMapper();
        this.transport = new ApiTransport(base, apiKey, settings, Objects.requireNonNull(listener, "listener"),
                Objects.requireNonNull(sleeper, "sleeper"), Objects.requireNonNull(clock, "clock"), mapper,
                Objects.requireNonNull(budget, "budget"));
        this.enterprise = new EnterpriseClient(transport);
    }

    /** A client for {@code account} with {@link ClientSettings#defaults()} and real sleeping. */
    public static CursorClient create(AccountConfig account, ApiCallListener listener) {
        return new CursorClient(account.baseUrl(), account.apiKey(), ClientSettings.defaults(), listener,
                Sleeper.SYSTEM);
    }

    /** Numbers as exact BigDecimal (Q19), kept as sent (no trailing-zero stripping), unknown fields ignored. */
    static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    @Override
    public List<Member> members() {
        PayloadParser.Parsed<Member> parsed = parser.members(transport.get(MEMBERS));
        warnSkipped("GET " + MEMBERS, parsed.skipped(), "members without an e-mail");
        return parsed.items();
    }

    @Override
    public SpendReport spend() {
        List<MemberSpend> members = new ArrayList<>();
        Instant cycleStart = null;
        int skipped = 0;
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(SPEND, pageBody(page, settings.spendPageSize()));
            PayloadParser.Parsed<MemberSpend> parsed = parser.spendMembers(root);
            members.addAll(parsed.items());
            skipped += parsed.skipped();
            if (cycleStart == null) {
                cycleStart = parser.cycleStart(root);
            }
            boolean empty = parsed.items().isEmpty() && parsed.skipped() == 0;
            if (empty || !Pagination.spendHasNext(root, page) || lastAllowedPage(SPEND, page)) {
                break;
            }
        }
        warnSkipped("POST " + SPEND, skipped, "spend rows without an e-mail");
        return new SpendReport(members, cycleStart);
    }

    @Override
    public List<DailyUsageRow> dailyUsage(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("daily usage: from " + from + " is after to " + to);
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_WINDOW_DAYS) {
            throw new IllegalArgumentException("daily usage: " + from + ".." + to + " spans " + days
                    + " days, at most " + MAX_WINDOW_DAYS + " allowed");
        }
        // Cursor extends endDate to the end of its UTC day (Q11), so midnight of `to` covers all of `to`
        long startMs = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long endMs = to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<DailyUsageRow> rows = new ArrayList<>();
        int skipped = 0;
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(DAILY_USAGE, windowBody(startMs, endMs, page,
                    settings.dailyUsagePageSize()));
            PayloadParser.Parsed<DailyUsageRow> parsed = parser.dailyRows(root);
            rows.addAll(parsed.items());
            skipped += parsed.skipped();
            boolean empty = parsed.items().isEmpty() && parsed.skipped() == 0;
            if (empty || !Pagination.dailyUsageHasNext(root, page)
                    || lastAllowedPage(DAILY_USAGE, page)) {
                break;
            }
        }
        warnSkipped("POST " + DAILY_USAGE, skipped, "daily-usage rows without an e-mail or day");
        return rows;
    }

    /**
     * Both bounds inclusive to the millisecond (Q11), so a window must span less than {@link #MAX_WINDOW_DAYS}
     * days; shared by every client of the exact-time endpoints.
     */
    static void checkWindow(String what, Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException(what + ": from " + from + " is after to " + to);
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) >= 0) {
            throw new IllegalArgumentException(what + ": " + from + ".." + to + " spans "
                    + MAX_WINDOW_DAYS + " days or more");
        }
    }

    @Override
    public void usageEvents(Instant from, Instant to, Consumer<List<UsageEvent>> pageConsumer) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(pageConsumer, "pageConsumer");
        checkWindow("usage events", from, to);
        int skipped = 0;
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(USAGE_EVENTS, windowBody(from.toEpochMilli(), to.toEpochMilli(), page,
                    settings.eventsPageSize()));
            PayloadParser.Parsed<UsageEvent> parsed = parser.events(root);
            skipped += parsed.skipped();
            pageConsumer.accept(parsed.items());
            boolean empty = parsed.items().isEmpty() && parsed.skipped() == 0;
            if (empty || !Pagination.eventsHasNext(root, page) || lastAllowedPage(USAGE_EVENTS, page)) {
                break;
            }
        }
        warnSkipped("POST " + USAGE_EVENTS, skipped, "usage events without a readable timestamp");
    }

    private ObjectNode pageBody(int page, int pageSize) {
        ObjectNode body = mapper.createObjectNode();
        body.put("page", page);
        body.put("pageSize", pageSize);
        return body;
    }

    private ObjectNode windowBody(long startMs, long endMs, int page, int pageSize) {
        ObjectNode body = mapper.createObjectNode();
        body.put("startDate", startMs);
        body.put("endDate", endMs);
        body.put("page", page);
        body.put("pageSize", pageSize);
        return body;
    }

    /** False below {@link #MAX_PAGES}; at it, fails rather than loop forever on a server that never ends. */
    private static boolean lastAllowedPage(String path, int page) {
        if (page < MAX_PAGES) {
            return false;
        }
        throw new CursorApiException(path, 0, "POST " + path + ": pagination did not end after " + MAX_PAGES
                + " pages", null);
    }

    private static void warnSkipped(String endpoint, int skipped, String what) {
        if (skipped > 0) {
            LOG.warn("{}: skipped {} {}", endpoint, skipped, what);
        }
    }

    /**
     * The Enterprise sources of the same account, sharing this client's transport (connections, retries, call
     * counting, pacing). Closing this client closes it too.
     */
    public EnterpriseApi enterprise() {
        return enterprise;
    }

    /**
     * Cancels the calls in flight, so a sync thread blocked on a slow or silent Cursor is released at once; used
     * on shutdown after the sync's grace period. The client stays usable.
     */
    public void cancelCalls() {
        transport.cancelCalls();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "CursorClient[" + baseUrl + "]";
    }
}

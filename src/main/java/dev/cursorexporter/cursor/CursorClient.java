package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.EventsRead;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
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
    private final RejectionLog rejections;
    private final Clock clock;


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
        this.rejections = new RejectionLog(listener);
        this.clock = clock;
        this.enterprise = new EnterpriseClient(transport, rejections);
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
    public String credentialFingerprint() {
        return transport.credentialFingerprint();
    }

    @Override
    public List<Member> members() {
        PayloadParser.Parsed<Member> parsed = parser.members(transport.get(MEMBERS));
        rejections.report(Source.MEMBERS, parsed.rejected());
        return parsed.items();
    }

    @Override
    public SpendReport spend() {
        List<MemberSpend> members = new ArrayList<>();
        Instant cycleStart = null;
        List<Rejection> rejected = new ArrayList<>();
        PageGuard guard = new PageGuard("POST", SPEND, settings.spendPageSize());
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(SPEND, pageBody(page, settings.spendPageSize()));
            PayloadParser.Parsed<MemberSpend> parsed = parser.spendMembers(root);
            members.addAll(parsed.items());
            rejected.addAll(parsed.rejected());
            if (cycleStart == null) {
                cycleStart = parser.cycleStart(root);
            }
            boolean empty = parsed.items().isEmpty() && parsed.rejected().isEmpty();
            if (empty || !Pagination.spendHasNext(root, page)
                    || guard.last(page, root, parsed.items())) {
                break;
            }
        }
        rejections.report(Source.SPEND, rejected);
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
        List<Rejection> rejected = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        PageGuard guard = new PageGuard("POST", DAILY_USAGE, settings.dailyUsagePageSize());
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(DAILY_USAGE, windowBody(startMs, endMs, page,
                    settings.dailyUsagePageSize()));
            PayloadParser.Parsed<DailyUsageRow> parsed = parser.dailyRows(root);
            for (DailyUsageRow row : parsed.items()) {
                if (row.day().isAfter(today)) {
                    rejected.add(new Rejection(Rejection.FUTURE_DAY, "daily-usage row day=" + row.day()
                            + " userId=" + row.userId() + " after today " + today));
                } else if (row.day().isBefore(from) || row.day().isAfter(to)) {
                    rejected.add(new Rejection(Rejection.OUTSIDE_WINDOW, "daily-usage row day=" + row.day()
                            + " userId=" + row.userId() + " outside " + from + ".." + to));
                } else {
                    rows.add(row);
                }
            }
            rejected.addAll(parsed.rejected());
            boolean empty = parsed.items().isEmpty() && parsed.rejected().isEmpty();
            if (empty || !Pagination.paginationHasNext(root, page)
                    || guard.last(page, root, parsed.items())) {
                break;
            }
        }
        rejections.report(Source.DAILY_USAGE, rejected);
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
    public EventsRead usageEvents(Instant from, Instant to, Consumer<List<UsageEvent>> pageConsumer) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(pageConsumer, "pageConsumer");
        checkWindow("usage events", from, to);
        List<Rejection> rejected = new ArrayList<>();
        PageGuard guard = new PageGuard("POST", USAGE_EVENTS, settings.eventsPageSize());
        long accepted = 0;
        long outside = 0;
        long declared = 0;
        boolean drifted = false;
        for (int page = 1; ; page++) {
            JsonNode root = transport.post(USAGE_EVENTS, windowBody(from.toEpochMilli(), to.toEpochMilli(), page,
                    settings.eventsPageSize()));
            PayloadParser.Parsed<UsageEvent> parsed = parser.events(root);
            long total = Pagination.declaredTotal(root);
            if (page == 1) {
                declared = total;
            } else if (total != 0 && total != declared) {
                drifted = true;
            }
            List<UsageEvent> inWindow = new ArrayList<>(parsed.items().size());
            for (UsageEvent e : parsed.items()) {
                if (e.timestamp().isBefore(from) || e.timestamp().isAfter(to)) {
                    rejected.add(new Rejection(Rejection.OUTSIDE_WINDOW, "usage event timestamp="
                            + e.timestamp().toEpochMilli() + " model=" + e.model() + " outside " + from + ".." + to));
                    outside++;
                } else {
                    inWindow.add(e);
                }
            }
            rejected.addAll(parsed.rejected());
            accepted += inWindow.size();
            pageConsumer.accept(inWindow);
            boolean empty = parsed.items().isEmpty() && parsed.rejected().isEmpty();
            if (empty || !Pagination.eventsHasNext(root, page)
                    || guard.last(page, root, parsed.items())) {
                break;
            }
        }
        rejections.report(Source.USAGE_EVENTS, rejected);
        return new EventsRead(accepted, rejected.size() - outside, outside, declared, drifted);
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

package dev.cursorexporter.cursor;

import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.cursorexporter.cursor.ClientTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * One hostile value in the middle of a page: that row is refused with its reason, its neighbours are stored, and
 * nothing expands the value (a {@code 1e999999999} would need a gigabyte as plain text).
 */
class HostileRowsTest {
    /** Inside the window asked for below (2026-03-01T00:00Z .. 2026-03-02T12:00Z). */
    private static final long TS = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    private ClientTestKit kit;
    private CursorClient client;

    @BeforeEach
    void setUp() {
        kit = new ClientTestKit();
        client = kit.client();
    }

    @AfterEach
    void tearDown() {
        client.close();
        kit.close();
    }

    @ParameterizedTest(name = "usage event {0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "chargedCents|-5|negative|chargedCents=-5",
            "chargedCents|1e30|too_large|chargedCents=a value of 31 digits",
            "chargedCents|1e999999999|too_large|chargedCents=a value of 1000000000 digits",
            "chargedCents|1e-999999999|malformed|chargedCents=a value with 999999999 decimals",
            "chargedCents|\"abc\"|malformed|chargedCents=\"abc\"",
            "chargedCents|100000001|too_large|chargedCents=100000001",
            "requestsCosts|-0.01|negative|requestsCosts=-0.01",
            "cursorTokenFee|1e999999999|too_large|cursorTokenFee=a value of 1000000000 digits",
            "tokenUsage.totalCents|1e999999999|too_large|totalCents=a value of 1000000000 digits",
            "tokenUsage.inputTokens|-1|negative|inputTokens=-1",
            "tokenUsage.outputTokens|9223372036854775808|too_large|outputTokens=9223372036854775808",
            "tokenUsage.cacheReadTokens|10000000001|too_large|cacheReadTokens=10000000001",
            "tokenUsage.cacheWriteTokens|1.5|malformed|cacheWriteTokens=1.5",
    })
    void aHostileEventIsRefusedAlone(String field, String value, String reason, String detail) throws Exception {
        String hostile = field.startsWith("tokenUsage.")
                ? event(TS + 1, "\"tokenUsage\":{\"inputTokens\":1,\"" + field.substring(11) + "\":" + value + "}")
                : event(TS + 1, "\"" + field + "\":" + value);
        kit.enqueue(json("{\"usageEvents\":[" + event(TS, "\"chargedCents\":1.5") + "," + hostile + ","
                + event(TS + 2, "\"chargedCents\":2") + "],\"pagination\":{\"hasNextPage\":false}}"));

        List<UsageEvent> stored = new ArrayList<>();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> client.usageEvents(
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"), stored::addAll));

        assertEquals(List.of(TS, TS + 2), stored.stream().map(e -> e.timestamp().toEpochMilli()).toList());
        assertEquals(new BigDecimal("3.5"), stored.get(0).costCents().add(stored.get(1).costCents()));
        assertEquals(List.of("usage_events " + reason + " 1"), kit.rejected);
        Rejection r = new PayloadParser().events(CursorClient.newMapper().readTree("{\"usageEvents\":[" + hostile
                + "]}")).rejected().get(0);
        assertEquals("usage event timestamp=" + (TS + 1) + " model=gpt-5 " + detail, r.detail());
    }

    /** A service account's name becomes the user label {@code sa:<name>}: an endless one never reaches a scrape. */
    @Test
    void aServiceAccountWithAnEndlessNameIsRefusedAlone() throws Exception {
        aHostileEventIsRefusedAlone("serviceAccountId", "\"" + "x".repeat(PayloadParser.MAX_CALLER_CHARS + 1) + "\"",
                "too_large", "service account of 201 characters");
    }

    @Test
    void eventsOutsideTheWindowAreRefused() {
        long before = Instant.parse("2026-02-28T23:59:59.999Z").toEpochMilli();
        long after = Instant.parse("2026-03-02T12:00:00.001Z").toEpochMilli();
        kit.enqueue(json("{\"usageEvents\":[" + event(before, "\"chargedCents\":1") + "," + event(TS, "\"chargedCents\":1")
                + "," + event(after, "\"chargedCents\":1") + "],\"pagination\":{\"hasNextPage\":false}}"));
        List<UsageEvent> stored = new ArrayList<>();

        client.usageEvents(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"),
                stored::addAll);

        assertEquals(List.of(TS), stored.stream().map(e -> e.timestamp().toEpochMilli()).toList());
        assertEquals(List.of("usage_events outside_window 2"), kit.rejected);
    }

    @ParameterizedTest(name = "daily row {0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "totalLinesAdded|-3|negative",
            "totalTabsShown|9223372036854775808|too_large",
            "chatRequests|1e999999999|too_large",
            "agentRequests|\"many\"|malformed",
            "day|\"2100-01-01\"|future_day",
            "day|\"2026-02-27\"|outside_window",
    })
    void aHostileDailyRowIsRefusedAlone(String field, String value, String reason) {
        String hostile = field.equals("day") ? daily("b@example.com", value, "")
                : daily("b@example.com", "\"2026-03-01\"", ",\"" + field + "\":" + value);
        kit.enqueue(json("{\"data\":[" + daily("a@example.com", "\"2026-03-01\"", ",\"totalLinesAdded\":10") + ","
                + hostile + "," + daily("c@example.com", "\"2026-03-02\"", ",\"totalLinesAdded\":5") + "]}"));

        List<DailyUsageRow> rows = client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));

        assertEquals(List.of("a@example.com", "c@example.com"), rows.stream().map(DailyUsageRow::email).toList());
        assertEquals(15, rows.stream().mapToLong(DailyUsageRow::totalLinesAdded).sum());
        assertEquals(List.of("daily_usage " + reason + " 1"), kit.rejected);
    }

    @ParameterizedTest(name = "spend {0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "spendCents|-100|negative",
            "overallSpendCents|1e30|too_large",
            "includedSpendCents|1e999999999|too_large",
            "monthlyLimitDollars|-1|negative",
    })
    void aHostileSpendRowIsRefusedAlone(String field, String value, String reason) {
        kit.enqueue(json("{\"teamMemberSpend\":[{\"email\":\"a@example.com\",\"spendCents\":100},"
                + "{\"email\":\"b@example.com\",\"userId\":\"u2\",\"spendCents\":5,\"" + field + "\":" + value + "},"
                + "{\"email\":\"c@example.com\",\"spendCents\":200}],\"totalPages\":1}"));

        SpendReport report = client.spend();

        assertEquals(List.of("a@example.com", "c@example.com"),
                report.members().stream().map(MemberSpend::email).toList());
        assertEquals(List.of("spend " + reason + " 1"), kit.rejected);
    }

    @Test
    void membersWithoutAnEmailAreCountedAsMissingKey() {
        kit.enqueue(json("{\"teamMembers\":[{\"id\":\"u1\",\"email\":\"a@example.com\"},{\"id\":\"u2\"}]}"));

        assertEquals(1, client.members().size());
        assertEquals(List.of("members missing_key 1"), kit.rejected);
    }

    /** An answer beyond the limit fails the call unread (and is not asked again: it would be as large). */
    @Test
    void anOversizedAnswerFailsTheCallWithoutBeingHeld() {
        StringBuilder big = new StringBuilder("{\"teamMembers\":[");
        for (int i = 0; i < 200; i++) {
            big.append(i == 0 ? "" : ",").append("{\"id\":\"u").append(i).append("\",\"email\":\"m").append(i)
                    .append("@example.com\"}");
        }
        kit.enqueue(json(big.append("]}").toString()));
        try (CursorClient small = kit.client(ClientTestKit.SETTINGS.withMaxAnswerBytes(4096))) {
            CursorApiException e = org.junit.jupiter.api.Assertions.assertThrows(CursorApiException.class,
                    small::members);
            assertEquals("GET /teams/members: answer too large (" + big.length() + " bytes, the limit is 4096 bytes, "
                    + "sync.max_answer_size); "
                    + "not read further", e.getMessage());
        }
        assertEquals(1, kit.server.getRequestCount(), "not retried");
    }

    /** A server that says "next page" forever is not followed: a repeated page or the declared count ends it. */
    @Test
    void endlessPaginationIsNotFollowed() {
        String same = "{\"usageEvents\":[" + event(TS, "\"chargedCents\":1") + "],\"pagination\":{\"hasNextPage\":true}}";
        kit.enqueue(json(same), json(same));
        CursorApiException repeated = org.junit.jupiter.api.Assertions.assertThrows(CursorApiException.class,
                () -> client.usageEvents(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"),
                        p -> { }));
        assertEquals("POST /teams/filtered-usage-events: page 2 repeats page 1; pagination does not advance",
                repeated.getMessage());

        for (int page = 0; page < 3; page++) {
            kit.enqueue(json("{\"usageEvents\":[" + event(TS + page, "\"chargedCents\":1")
                    + "],\"pagination\":{\"hasNextPage\":true,\"numPages\":2}}"));
        }
        CursorApiException declared = org.junit.jupiter.api.Assertions.assertThrows(CursorApiException.class,
                () -> client.usageEvents(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"),
                        p -> { }));
        assertEquals("POST /teams/filtered-usage-events: pagination did not end after 3 pages (the first answer "
                + "declared 2)", declared.getMessage());
        assertEquals(5, kit.server.getRequestCount());
    }

    @ParameterizedTest(name = "audit event {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"event_id\":\"e2\",\"timestamp\":\"+1000000000-12-31T23:59:59Z\",\"event_type\":\"login\"|outside_window",
            "\"event_id\":\"e2\",\"timestamp\":\"1969-12-31T23:59:59Z\",\"event_type\":\"login\"|outside_window",
            "\"event_id\":\"e2\",\"timestamp\":\"2026-03-02T12:00:00.001Z\",\"event_type\":\"login\"|outside_window",
            "\"event_id\":\"e2\",\"timestamp\":1e999999999,\"event_type\":\"login\"|missing_key",
            "\"event_id\":\"e2\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"login\\nFAKE 1\"|malformed",
            "\"event_id\":\"e2\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"Login\"|malformed",
            "\"event_id\":\"e2 \\nFAKE\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"login\"|malformed",
            "\"event_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"login\"|malformed",
            "\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"login\"|missing_key",
    })
    void aHostileAuditEventIsRefusedAlone(String hostile, String reason) {
        kit.enqueue(json("{\"events\":[{\"event_id\":\"e1\",\"timestamp\":\"2026-03-01T09:00:00Z\","
                + "\"event_type\":\"login\"},{" + hostile + "},{\"event_id\":\"e3\",\"timestamp\":"
                + "\"2026-03-02T12:00:00Z\",\"event_type\":\"team_settings\"}],"
                + "\"pagination\":{\"page\":1,\"totalPages\":1,\"hasNextPage\":false}}"));
        List<dev.cursorexporter.model.AuditEvent> stored = new ArrayList<>();

        client.enterprise().auditEvents(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"),
                stored::addAll);

        assertEquals(List.of("e1", "e3"), stored.stream().map(dev.cursorexporter.model.AuditEvent::eventId).toList());
        assertEquals(List.of("audit_logs " + reason + " 1"), kit.rejected);
    }

    @Test
    void endlessAuditPaginationIsNotFollowed() {
        String same = "{\"events\":[{\"event_id\":\"e1\",\"timestamp\":\"2026-03-01T09:00:00Z\","
                + "\"event_type\":\"login\"}],\"pagination\":{\"hasNextPage\":true}}";
        kit.enqueue(json(same), json(same));
        CursorApiException repeated = org.junit.jupiter.api.Assertions.assertThrows(CursorApiException.class,
                () -> client.enterprise().auditEvents(Instant.parse("2026-03-01T00:00:00Z"),
                        Instant.parse("2026-03-02T12:00:00Z"), p -> { }));
        assertEquals("GET /teams/audit-logs: page 2 repeats page 1; pagination does not advance",
                repeated.getMessage());
    }

    private static String event(long ts, String fields) {
        return "{\"timestamp\":\"" + ts + "\",\"userEmail\":\"a@example.com\",\"model\":\"gpt-5\","
                + "\"kind\":\"Usage-based\"," + fields + "}";
    }

    private static String daily(String email, String day, String fields) {
        return "{\"email\":\"" + email + "\",\"day\":" + day + ",\"isActive\":true" + fields + "}";
    }
}

package dev.cursorexporter.cursor;

import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.cursorexporter.cursor.ClientTestKit.fixtureResponse;
import static dev.cursorexporter.cursor.ClientTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixtures from REFERENCE.md in both profiles: {@code observed-2026-01} (string timestamps, {@code ""} for
 * null, omitted fields, includedSpendCents, cursorTokenFee 0) and {@code docs-latest} (chargedCents,
 * overallSpendCents, fractional cents with float noise, numeric ids, kindLabel, removed members).
 */
class CursorClientParsingTest {
    private final ClientTestKit kit = new ClientTestKit();
    private final CursorClient client = kit.client();

    @AfterEach
    void tearDown() {
        client.close();
        kit.close();
    }

    @Test
    void membersObserved() {
        kit.enqueue(fixtureResponse("members-observed-2026-01.json"));

        assertEquals(List.of(
                new Member("user_Q7mXk2LpV9sTn4RbW8cYe1HfZa", "dana@example.com", "Dana Ito", "owner", false),
                new Member("user_3JdPq8NvGx5KsLm0TzYb7UcRwE", "lee@example.com", "", "member", false),
                new Member("user_Hh2Vb9QwErTy6UiOp3AsDf8GjK", "ops@example.com", "Billing Admin", "free-owner",
                        false)),
                client.members());
    }

    @Test
    void membersDocsLatestNumericIdRemovedFlagAndRowsWithoutEmailSkipped() {
        kit.enqueue(fixtureResponse("members-docs-latest.json"));

        assertEquals(List.of(
                new Member("12345", "dana@example.com", "Dana Ito", "owner", false),
                new Member("user_Zx9Cv8Bn7Mm6Ll5Kk4Jj3Hh2Gg", "gone@example.com", "Former Member", "member", true),
                new Member(null, "legacy@example.com", "No Id Yet", "member", false)),
                client.members());
    }

    @Test
    void spendObservedOldShapeWithIncludedSpend() {
        kit.enqueue(fixtureResponse("spend-observed-2026-01.json"));

        SpendReport report = client.spend();

        assertEquals(Instant.parse("2026-03-01T07:52:48Z"), report.cycleStart());
        MemberSpend dana = report.members().get(0);
        assertEquals("user_Q7mXk2LpV9sTn4RbW8cYe1HfZa", dana.userId());
        assertEquals(new BigDecimal("5210"), dana.spendCents());
        assertEquals(new BigDecimal("2000"), dana.includedSpendCents());
        assertNull(dana.overallSpendCents());
        assertEquals(new BigDecimal("5210"), dana.cycleSpendCents());
        assertEquals(new BigDecimal("3210"), dana.onDemandSpendCents());
        assertEquals(new BigDecimal("150"), dana.effectiveLimitDollars());
        MemberSpend lee = report.members().get(1);
        assertEquals("", lee.name());
        assertNull(lee.monthlyLimitDollars());
        assertEquals(BigDecimal.ZERO, lee.onDemandSpendCents(), "included exceeds spend → clamped to 0");
        assertEquals(new BigDecimal("75"), lee.effectiveLimitDollars(), "non-zero hard override applies");
        assertNull(report.members().get(2).effectiveLimitDollars());
        assertNull(dana.effectivePerUserLimitDollars());
    }

    @Test
    void spendDocsLatestKeepsFractionalCentsExactlyAndSkipsRowsWithoutEmail() {
        kit.enqueue(fixtureResponse("spend-docs-latest.json"));

        SpendReport report = client.spend();

        assertEquals(2, report.members().size());
        MemberSpend dana = report.members().get(0);
        assertEquals("6120.918204", dana.overallSpendCents().toPlainString());
        assertEquals("1312.408731", dana.spendCents().toPlainString());
        assertEquals("6120.918204", dana.cycleSpendCents().toPlainString());
        assertEquals("1312.408731", dana.onDemandSpendCents().toPlainString());
        assertNull(dana.includedSpendCents());
        assertEquals(new BigDecimal("150"), dana.effectiveLimitDollars());
        MemberSpend lee = report.members().get(1);
        assertEquals("lee@example.com", lee.email());
        assertEquals("40.16699999999999", lee.cycleSpendCents().toPlainString());
        assertEquals(BigDecimal.ZERO, lee.onDemandSpendCents());
        assertNull(lee.effectiveLimitDollars(), "effective 0 without a monthly limit means no limit");
    }

    @Test
    void spendCycleStartAsStringAndMissingSpendCentsTolerated() {
        kit.enqueue(json("{\"teamMemberSpend\":[{\"email\":\"a@example.com\",\"overallSpendCents\":12.5}],"
                + "\"subscriptionCycleStart\":\"1772351568000\",\"totalPages\":1}"));

        SpendReport report = client.spend();

        assertEquals(Instant.parse("2026-03-01T07:52:48Z"), report.cycleStart());
        MemberSpend a = report.members().get(0);
        assertEquals(BigDecimal.ZERO, a.spendCents());
        assertEquals(new BigDecimal("12.5"), a.cycleSpendCents());
        assertEquals("", a.role());
        assertNull(a.userId());
    }

    @Test
    void dailyUsageObservedEmptyStringsAndOmittedClientVersion() {
        kit.enqueue(fixtureResponse("daily-usage-observed-2026-01.json"));

        List<DailyUsageRow> rows = client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));

        assertEquals(3, rows.size());
        assertEquals(new DailyUsageRow(LocalDate.parse("2026-03-01"), "user_Q7mXk2LpV9sTn4RbW8cYe1HfZa",
                "dana@example.com", true, 412, 57, 388, 21, 9, 8, 1, 40, 17, 0, 2, 11, 1, 9, 0, 4, 0,
                "claude-4.5-opus-high-thinking", "2.4.27"), rows.get(0));
        DailyUsageRow inactive = rows.get(1);
        assertFalse(inactive.active());
        assertEquals("", inactive.mostUsedModel());
        assertEquals("", inactive.clientVersion());
        DailyUsageRow lee = rows.get(2);
        assertEquals(LocalDate.parse("2026-03-02"), lee.day());
        assertEquals("lee@example.com", lee.email());
        assertEquals("default", lee.mostUsedModel());
        assertEquals("", lee.clientVersion());
    }

    @Test
    void dailyUsageDocsLatestNumericIdNullsDayFromDateAndRowsWithoutEmailSkipped() {
        kit.enqueue(fixtureResponse("daily-usage-docs-latest.json"));

        List<DailyUsageRow> rows = client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));

        assertEquals(2, rows.size());
        assertEquals(new DailyUsageRow(LocalDate.parse("2026-03-01"), "4711", "dana@example.com", true,
                10, 1, 8, 0, 2, 2, 0, 5, 3, 1, 0, 2, 0, 3, 0, 0, 1, "", ""), rows.get(0));
        assertEquals(new DailyUsageRow(LocalDate.parse("2026-03-02"), "user_3JdPq8NvGx5KsLm0TzYb7UcRwE",
                "lee@example.com", false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", ""), rows.get(1));
    }

    @Test
    void eventsObservedStringTimestampsNoChargedCentsZeroTokenFee() {
        kit.enqueue(fixtureResponse("events-observed-2026-01.json"));

        List<UsageEvent> events = events();

        assertEquals(5, events.size());
        UsageEvent first = events.get(0);
        assertEquals(Instant.ofEpochMilli(1772460309311L), first.timestamp());
        assertEquals("dana@example.com", first.userEmail());
        assertEquals("claude-4.5-opus-high-thinking", first.model());
        assertEquals("Usage-based", first.kind());
        assertEquals(new BigDecimal("6.8"), first.requestsCosts());
        assertEquals(new TokenUsage(212, 905, 18840, 40211, new BigDecimal("53.44324999999998")),
                first.tokenUsage());
        assertNull(first.chargedCents());
        assertEquals(BigDecimal.ZERO, first.cursorTokenFee());
        assertNull(first.conversationId());
        assertFalse(first.headless());
        assertEquals("lee@example.com", events.get(1).userEmail());
        assertTrue(events.get(2).maxMode());
        assertTrue(events.get(2).headless());
    }

    @Test
    void eventsDocsLatestChargedCentsKindLabelMissingEmailAndMissingTokenUsage() {
        kit.enqueue(fixtureResponse("events-docs-latest.json"));

        List<UsageEvent> events = events();

        assertEquals(5, events.size(), "the event with an empty timestamp is skipped");
        UsageEvent first = events.get(0);
        assertEquals(new BigDecimal("28.91201"), first.chargedCents());
        assertEquals(new BigDecimal("1.4281"), first.cursorTokenFee());
        assertEquals("c3f1a9e2-4b7d-4e21-9a0c-5d6e7f8a9b0c", first.conversationId());
        UsageEvent requestBased = events.get(2);
        assertSame(TokenUsage.NONE, requestBased.tokenUsage());
        assertEquals(new BigDecimal("8"), requestBased.chargedCents());
        assertNull(requestBased.cursorTokenFee());
        UsageEvent removed = events.get(3);
        assertEquals(Instant.ofEpochMilli(1772440000000L), removed.timestamp(), "numeric timestamp");
        assertNull(removed.userEmail());
        assertEquals("Usage-based", removed.kind(), "kindLabel accepted");
        assertEquals(new TokenUsage(100, 50, 0, 10, new BigDecimal("40.16699999999999")), removed.tokenUsage());
        assertEquals("40.16699999999999", removed.chargedCents().toPlainString());
        assertTrue(removed.headless());
        assertNull(events.get(4).userEmail(), "\"\" e-mail is absent");
        assertEquals(new TokenUsage(10, 20, 0, 0, new BigDecimal("3.1")), events.get(4).tokenUsage());
    }

    @Test
    void eventWithNothingButATimestampGetsDefaults() {
        kit.enqueue(json("{\"usageEvents\":[{\"timestamp\":\"1772409600005\"}]}"));

        UsageEvent event = events().get(0);

        assertEquals(new UsageEvent(Instant.ofEpochMilli(1772409600005L), null, "", "", false, BigDecimal.ZERO, TokenUsage.NONE,
                null, null, false, null), event);
    }

    private List<UsageEvent> events() {
        List<UsageEvent> all = new ArrayList<>();
        client.usageEvents(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-02T23:59:59.999Z"),
                all::addAll);
        return all;
    }
}

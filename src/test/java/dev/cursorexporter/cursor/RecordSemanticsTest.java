package dev.cursorexporter.cursor;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.UsageEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.cursorexporter.cursor.ClientTestKit.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The existing contract records' derived values ({@link UsageEvent}, {@link MemberSpend}) on parsed fixtures. */
class RecordSemanticsTest {
    private final PayloadParser parser = new PayloadParser();

    @Test
    void observedEventsCostTotalCentsPlusFeeAndNothingWhenNotCharged() {
        List<UsageEvent> events = events("events-observed-2026-01.json");

        assertEquals(List.of("53.44324999999998", "0", "12.5", "0", "0"),
                events.stream().map(e -> e.costCents().toPlainString()).toList());
        assertEquals(List.of(BillingClass.USAGE_BASED, BillingClass.NOT_CHARGED, BillingClass.INCLUDED,
                BillingClass.BYOK, BillingClass.NOT_CHARGED), events.stream().map(UsageEvent::billing).toList());
        BigDecimal total = events.stream().map(UsageEvent::costCents).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals("65.94324999999998", total.toPlainString(), "no binary float noise added");
    }

    @Test
    void docsEventsPreferChargedCentsElseTokensPlusFee() {
        List<UsageEvent> events = events("events-docs-latest.json");

        assertEquals(List.of("28.91201", "0", "8", "40.16699999999999", "3.35"),
                events.stream().map(e -> e.costCents().toPlainString()).toList());
        assertEquals(List.of(BillingClass.USAGE_BASED, BillingClass.NOT_CHARGED, BillingClass.INCLUDED,
                BillingClass.USAGE_BASED, BillingClass.USAGE_BASED), events.stream().map(UsageEvent::billing).toList());
    }

    @Test
    void chargedCentsWinsOverTokenCostWhenTheyDisagree() {
        UsageEvent event = events("events-docs-latest.json").get(0);
        UsageEvent charged = new UsageEvent(event.timestamp(), event.userEmail(), event.model(), event.kind(),
                event.maxMode(), event.requestsCosts(), event.tokenUsage(), new BigDecimal("1.5"),
                event.cursorTokenFee(), event.headless(), event.conversationId());
        assertEquals(new BigDecimal("1.5"), charged.costCents());
        UsageEvent notCharged = new UsageEvent(event.timestamp(), null, "", "Aborted, Not Charged", false,
                BigDecimal.ZERO, event.tokenUsage(), new BigDecimal("1.5"), null, false, null);
        assertEquals(BigDecimal.ZERO, notCharged.costCents(), "Not Charged costs 0 even with chargedCents");
    }

    @Test
    void billingClassCoversObservedLabelsAndEnumNames() {
        assertEquals(BillingClass.INCLUDED, BillingClass.fromKind("Included in Pro"));
        assertEquals(BillingClass.USAGE_BASED, BillingClass.fromKind("USAGE_EVENT_KIND_USAGE_BASED"));
        assertEquals(BillingClass.NOT_CHARGED, BillingClass.fromKind("USAGE_EVENT_KIND_ERRORED_NOT_CHARGED"));
        assertEquals(BillingClass.BYOK, BillingClass.fromKind("User API Key"));
        assertEquals(BillingClass.OTHER, BillingClass.fromKind(""));
        assertEquals(BillingClass.OTHER, BillingClass.fromKind("Free Bugbot"));
    }

    @Test
    void contentHashIsStableAcrossParsesAndIgnoresDecimalScale() {
        List<UsageEvent> first = events("events-docs-latest.json");
        List<UsageEvent> second = events("events-docs-latest.json");
        assertEquals(first.stream().map(UsageEvent::contentHash).toList(),
                second.stream().map(UsageEvent::contentHash).toList());
        assertTrue(first.get(0).contentHash().matches("[0-9a-f]{32}"));

        UsageEvent e = first.get(2);
        UsageEvent rescaled = new UsageEvent(e.timestamp(), e.userEmail(), e.model(), e.kind(), e.maxMode(),
                new BigDecimal("1.40"), e.tokenUsage(), new BigDecimal("8.000"), e.cursorTokenFee(), e.headless(),
                e.conversationId());
        assertEquals(e.contentHash(), rescaled.contentHash(), "8 and 8.000 are the same charge");
    }

    @Test
    void contentHashSeparatesEventsThatDifferInAnyField() {
        Set<String> hashes = new HashSet<>();
        List<UsageEvent> all = events("events-observed-2026-01.json");
        all.forEach(e -> hashes.add(e.contentHash()));
        assertEquals(all.size(), hashes.size());

        UsageEvent e = all.get(0);
        UsageEvent oneMsLater = new UsageEvent(e.timestamp().plusMillis(1), e.userEmail(), e.model(), e.kind(),
                e.maxMode(), e.requestsCosts(), e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), e.headless(),
                e.conversationId());
        UsageEvent otherUser = new UsageEvent(e.timestamp(), "someone@example.com", e.model(), e.kind(),
                e.maxMode(), e.requestsCosts(), e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), e.headless(),
                e.conversationId());
        UsageEvent removedUser = new UsageEvent(e.timestamp(), null, e.model(), e.kind(),
                e.maxMode(), e.requestsCosts(), e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), e.headless(),
                e.conversationId());
        assertNotEquals(e.contentHash(), oneMsLater.contentHash());
        assertNotEquals(e.contentHash(), otherUser.contentHash());
        assertNotEquals(e.contentHash(), removedUser.contentHash());
    }

    @Test
    void contentHashIgnoresFieldsCursorAddedLaterSoRereadsStillMatch() {
        UsageEvent e = events("events-observed-2026-01.json").get(0);
        UsageEvent laterSchema = new UsageEvent(e.timestamp(), e.userEmail(), e.model(), e.kind(), e.maxMode(),
                e.requestsCosts(), e.tokenUsage(), new BigDecimal("12.5"), null, true, "c3f1a9e2");
        assertEquals(e.contentHash(), laterSchema.contentHash());
    }

    /**
     * REFERENCE.md §2.5 and Q24: the caller fields say who spent; the outermost caller wins, blank ids are absent,
     * {@code isHeadless} alone is no agent, and a service account without e-mail is filed as {@code sa:<name or
     * id>}. The content hash ignores all of it: a store that read these events before the fields were parsed
     * must match them, not add them twice.
     */
    @Test
    void callerFieldsGiveTheActorAndLeaveTheContentHashAlone() throws JsonProcessingException {
        String base = "\"timestamp\":\"1772460309311\",\"model\":\"default\",\"kind\":\"Usage-based\","
                + "\"chargedCents\":5,\"tokenUsage\":{\"inputTokens\":1,\"totalCents\":5}";
        List<UsageEvent> page = parser.events(tree("{\"usageEvents\":["
                + "{" + base + ",\"userEmail\":\"A@example.com\",\"isHeadless\":true},"
                + "{" + base + ",\"userEmail\":\"a@example.com\",\"cloudAgentId\":\"bc-1\",\"isHeadless\":true},"
                + "{" + base + ",\"userEmail\":\"a@example.com\",\"cloudAgentId\":\"bc-2\","
                + "\"automationId\":\"6c2f\"},"
                + "{" + base + ",\"userEmail\":\"a@example.com\",\"automationId\":\"6c2f\","
                + "\"serviceAccountId\":\"sa_1\",\"serviceAccountName\":\"CI-Bot\"},"
                + "{" + base + ",\"serviceAccountId\":\"sa_1\",\"serviceAccountName\":\"CI-Bot\"},"
                + "{" + base + ",\"serviceAccountId\":\"sa_2\",\"serviceAccountName\":\"\"},"
                + "{" + base + ",\"cloudAgentId\":\"  \",\"serviceAccountId\":\"\"}"
                + "]}")).items();
        assertEquals(List.of(Actor.HUMAN, Actor.CLOUD_AGENT, Actor.AUTOMATION, Actor.SERVICE_ACCOUNT,
                Actor.SERVICE_ACCOUNT, Actor.SERVICE_ACCOUNT, Actor.HUMAN), page.stream().map(UsageEvent::actor).toList());
        assertEquals(Arrays.asList("a@example.com", "a@example.com", "a@example.com", "a@example.com", "sa:ci-bot",
                "sa:sa_2", null), page.stream().map(UsageEvent::userKey).toList());
        assertEquals(1, page.subList(0, 4).stream().map(UsageEvent::contentHash).distinct().count(),
                "the caller fields are not hashed");
        assertEquals(1, page.subList(4, 7).stream().map(UsageEvent::contentHash).distinct().count());
        UsageEvent before = page.get(0);
        UsageEvent unparsed = new UsageEvent(before.timestamp(), before.userEmail(), before.model(), before.kind(),
                before.maxMode(), before.requestsCosts(), before.tokenUsage(), before.chargedCents(),
                before.cursorTokenFee(), before.headless(), before.conversationId());
        assertEquals(unparsed.contentHash(), page.get(3).contentHash(), "what an older store holds matches");
    }

    @Test
    void identicalEventsInOnePageShareAHash() throws JsonProcessingException {
        String event = "{\"timestamp\":\"1772460309311\",\"userEmail\":\"a@example.com\",\"model\":\"default\","
                + "\"kind\":\"Included in Business\",\"tokenUsage\":{\"inputTokens\":1,\"totalCents\":0.1}}";
        List<UsageEvent> page = parser.events(tree("{\"usageEvents\":[" + event + "," + event + "]}")).items();
        assertEquals(2, page.size());
        assertEquals(page.get(0).contentHash(), page.get(1).contentHash());
    }

    @Test
    void memberSpendInterpretationOnBothShapes() throws JsonProcessingException {
        List<MemberSpend> old = parser.spendMembers(tree(fixture("spend-observed-2026-01.json"))).items();
        assertEquals(List.of("5210", "1200", "0"), old.stream().map(m -> m.cycleSpendCents().toPlainString()).toList());
        assertEquals(List.of("3210", "0", "0"), old.stream().map(m -> m.onDemandSpendCents().toPlainString()).toList());

        List<MemberSpend> latest = parser.spendMembers(tree(fixture("spend-docs-latest.json"))).items();
        assertEquals(List.of("6120.918204", "40.16699999999999"),
                latest.stream().map(m -> m.cycleSpendCents().toPlainString()).toList());
        assertEquals(List.of("1312.408731", "0"),
                latest.stream().map(m -> m.onDemandSpendCents().toPlainString()).toList());
        assertEquals(new BigDecimal("150"), latest.get(0).effectiveLimitDollars());
        assertNull(latest.get(1).effectiveLimitDollars());
    }

    @Test
    void effectiveLimitFallsBackToHardOverrideThenMonthly() {
        assertEquals(new BigDecimal("75"), spend(null, new BigDecimal("75"), new BigDecimal("50"))
                .effectiveLimitDollars());
        assertEquals(new BigDecimal("50"), spend(null, BigDecimal.ZERO, new BigDecimal("50")).effectiveLimitDollars());
        assertNull(spend(null, BigDecimal.ZERO, null).effectiveLimitDollars());
        assertEquals(BigDecimal.ZERO, spend(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO)
                .effectiveLimitDollars(), "an explicit $0 limit is a limit");
    }

    private static MemberSpend spend(BigDecimal effective, BigDecimal hard, BigDecimal monthly) {
        return new MemberSpend("u", "a@example.com", "", "member", BigDecimal.ONE, null, null, monthly, hard,
                effective);
    }

    private List<UsageEvent> events(String fixture) {
        try {
            return parser.events(tree(fixture(fixture))).items();
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode tree(String json) throws JsonProcessingException {
        return CursorClient.newMapper().readTree(json);
    }
}

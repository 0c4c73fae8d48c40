package dev.cursorexporter.store;

import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A complete re-read replaces the stored events of its days (REFERENCE.md Q21): superseded versions go, identical
 * events count as often as returned, the day's figures are exactly the read's, and what came back lower is
 * withdrawn so the counters ({@link Store#usageTotals}) never go down.
 */
/**
 * Restatements, whatever the database: a complete re-read replaces the stored events of its days, what it takes back
 * is withdrawn (counters never go down), a merged read never lowers. {@link RestatementReplaceTest} (SQLite) and
 * {@link PostgresRestatementContractTest}.
 */
abstract class RestatementContract extends StoreFixture {

    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final LocalDate D2 = D1.plusDays(1);
    static final LocalDate D3 = D1.plusDays(2);
    private static final Instant END_OF_D2 = D3.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minusMillis(1);


    @Test
    void aReclassifiedEventReplacesItsOldVersionAndTheCostIsWithdrawn() {
        Instant t = at(D1, 9, 0, 0, 0);
        UsageEvent charged = event(t, "a@x.io", "gpt-5.2", "10");
        UsageEvent other = event(at(D1, 10, 0, 0, 0), "a@x.io", "gpt-5.2", "4");
        replace(D1, D2, END_OF_D2, List.of(charged, other));
        assertEquals("14", cost(D1));

        UsageEvent errored = event(t, "a@x.io", "gpt-5.2", "Errored, Not Charged", tokens(), "10", null);
        replace(D1, D2, END_OF_D2, List.of(errored, other));

        // The day is exactly the re-read: one not-charged event, one at 4 cents.
        assertEquals("4", cost(D1));
        assertEquals(Map.of("not_charged", 1L, "usage_based", 1L), requestsByBilling(D1));
        // The counters keep what they showed; withdrawn says what went.
        // Its tokens stay (they moved to not_charged with the event), its cost is taken back.
        assertEquals(List.of(new UsageTotals("a@x.io", "gpt-5.2", BillingClass.USAGE_BASED, 1, new BigDecimal("10"),
                0, 0, 0, 0)), store.usageWithdrawn(ACME));
        assertEquals("14", counterCost());
        assertEquals(3, counterRequests(), "2 usage-based (one withdrawn) + 1 not charged");
    }

    @Test
    void aFeeRestatedAloneKeepsTheHashAndStillReplacesTheCost() {
        Instant t = at(D1, 9, 0, 0, 0);
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "Usage-based", tokens(), null, "3")));
        assertEquals("4", cost(D1), "totalCents 1 + fee 3");
        UsageEvent restated = event(t, "a@x.io", "m", "Usage-based", tokens(), null, "0.5");
        commit(D1, D1, List.of(restated));
        assertEquals("4", cost(D1), "a merged read keeps the stored version");
        replace(D1, D1, END_OF_D2, List.of(restated));
        assertEquals("1.5", cost(D1));
        assertEquals(1, requests(D1));
        assertEquals("4", counterCost());
        assertEquals(new BigDecimal("2.5"), store.usageWithdrawn(ACME).get(0).costCents());
    }

    @Test
    void anEventMovingBetweenBillingClassesWithdrawsItsRequestButNoCostOrTokens() {
        Instant t = at(D1, 9, 0, 0, 0);
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "Included in Business", tokens(), "5", null)));
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "Usage-based", tokens(), "5", null)));
        assertEquals("5", counterCost(), "Cursor's cost did not change, so neither does the counter");
        assertEquals(List.of(new UsageTotals("a@x.io", "m", BillingClass.INCLUDED, 1, BigDecimal.ZERO, 0, 0, 0, 0)),
                store.usageWithdrawn(ACME), "only the request moved");
        long tokens = store.usageTotals(ACME).stream().mapToLong(UsageTotals::inputTokens).sum();
        assertEquals(100, tokens);
    }

    @Test
    void aWithdrawalOfTokensAloneIsShown() {
        Instant t = at(D1, 9, 0, 0, 0);
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "Usage-based", tokens(), "5", null)));
        TokenUsage fewer = new TokenUsage(80, 200, 30, 40, BigDecimal.ONE);
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "Usage-based", fewer, "5", null)));
        assertEquals(List.of(new UsageTotals("a@x.io", "m", BillingClass.USAGE_BASED, 0, BigDecimal.ZERO, 20, 0, 0, 0)),
                store.usageWithdrawn(ACME));
        long counted = store.usageTotals(ACME).stream().mapToLong(UsageTotals::inputTokens).sum();
        assertEquals(100, counted, "the counter holds");
        assertEquals(80, counted - store.usageWithdrawn(ACME).get(0).inputTokens(), "counter - withdrawn = Cursor's");
    }

    @Test
    void identicalEventsCountAsOftenAsTheCompleteReadReturnsThem() {
        UsageEvent twice = event(at(D1, 12, 0, 0, 0), "a@x.io", "default", "2.5");
        replace(D1, D1, END_OF_D2, List.of(twice, twice), List.of(twice));
        assertEquals(3, requests(D1));

        replace(D1, D1, END_OF_D2, List.of(twice));
        assertEquals(1, requests(D1), "a complete read that sees it once is the truth");
        assertEquals("2.5", cost(D1));
        assertEquals(3, counterRequests(), "never down");
        assertEquals(2, store.usageWithdrawn(ACME).get(0).requests());

        // Back up again: the counter rises only by what exceeds what it already counted.
        replace(D1, D1, END_OF_D2, List.of(twice, twice, twice, twice));
        assertEquals(4, requests(D1));
        assertEquals(6, counterRequests(), "4 held + 2 withdrawn");
    }

    @Test
    void aMergedReadNeverLowersWhatIsStored() {
        Instant t = at(D1, 9, 0, 0, 0);
        replace(D1, D1, END_OF_D2, List.of(event(t, "a@x.io", "m", "10")));
        commit(D1, D1, List.of(event(t, "a@x.io", "m", "Errored, Not Charged", tokens(), "10", null)));
        assertEquals("10", cost(D1), "a partial read keeps the old version beside the new");
        assertEquals(2, requests(D1));
        assertEquals(List.of(), store.usageWithdrawn(ACME));
    }

    @Test
    void replacingReachesDaysThatCameBackEmptyButNotPastTheRead() {
        UsageEvent d1 = event(at(D1, 9, 0, 0, 0), "a@x.io", "m", "1");
        UsageEvent d2Early = event(at(D2, 9, 0, 0, 0), "a@x.io", "m", "2");
        UsageEvent d2Late = event(at(D2, 18, 0, 0, 0), "a@x.io", "m", "3");
        UsageEvent d3 = event(at(D3, 9, 0, 0, 0), "a@x.io", "m", "4");
        commit(D1, D3, List.of(d1, d2Early, d2Late, d3));

        // A read of D1..D2 up to noon of D2 that holds only d2Early: D1 is emptied, d2Late (after the read) and
        // D3 (outside the window) stay.
        replace(D1, D2, at(D2, 12, 0, 0, 0), List.of(d2Early));
        assertEquals("0", cost(D1));
        assertEquals("5", cost(D2));
        assertEquals("4", cost(D3));
        assertEquals(new BigDecimal("1"), store.usageWithdrawn(ACME).get(0).costCents());
        assertEquals("10", counterCost());
    }

    @Test
    void withdrawnBeforeTheCounterEpochIsNotCounted() {
        store.startCounterEpoch(ACME, D2);
        UsageEvent d1 = event(at(D1, 9, 0, 0, 0), "a@x.io", "m", "1");
        UsageEvent d2 = event(at(D2, 9, 0, 0, 0), "a@x.io", "m", "2");
        replace(D1, D2, END_OF_D2, List.of(d1, d2));
        replace(D1, D2, END_OF_D2, List.of(d2Halved()));
        // D1 predates the epoch (its withdrawn cent is not counted); D2: 1 cent now plus 1 withdrawn.
        assertEquals("2", counterCost());
        assertEquals(List.of(new UsageTotals("a@x.io", "m", BillingClass.USAGE_BASED, 0, BigDecimal.ONE,
                0, 0, 0, 0)), store.usageWithdrawn(ACME));
    }

    private static UsageEvent d2Halved() {
        return event(at(D2, 9, 0, 0, 0), "a@x.io", "m", "Usage-based", new TokenUsage(100, 200, 30, 40,
                BigDecimal.ONE), "1", null);
    }

    /**
     * Any sequence of complete and partial reads of random restated versions: after each, every counter key is at
     * least what it was, the stored days are the last complete read merged with later partial reads, and counter
     * minus withdrawn is what is stored.
     */
    @Test
    void countersNeverGoDownAndNetIsStoredOnRandomRestatements() {
        Random random = new Random(20261202);
        Map<String, long[]> before = new TreeMap<>();
        for (int round = 0; round < 60; round++) {
            List<UsageEvent> page = new java.util.ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                LocalDate day = random.nextBoolean() ? D1 : D2;
                String email = random.nextBoolean() ? "a@x.io" : "b@x.io";
                String kind = random.nextInt(4) == 0 ? "Errored, Not Charged" : "Usage-based";
                String cents = Integer.toString(1 + random.nextInt(3));
                page.add(event(at(day, random.nextInt(3), 0, 0, 0), email, "m", kind, tokens(), cents, null));
            }
            if (random.nextInt(3) == 0) {
                commit(D1, D2, page);
            } else {
                replace(D1, D2, END_OF_D2, page);
            }
            Map<String, long[]> counters = byKey(store.usageTotals(ACME));
            Map<String, long[]> withdrawn = byKey(store.usageWithdrawn(ACME));
            Map<String, long[]> stored = new TreeMap<>();
            for (DailyUsageCost r : store.daily().dailyUsageCost(DailyQuery.days(D1, D3).groupByUser().groupByModel()
                    .groupByBilling())) {
                stored.computeIfAbsent(r.email() + "|" + r.billing(), k -> new long[2])[0] += r.requests();
                stored.computeIfAbsent(r.email() + "|*", k -> new long[2])[1] += r.costCents().longValueExact();
            }
            for (Map.Entry<String, long[]> e : before.entrySet()) {
                long[] now = counters.getOrDefault(e.getKey(), new long[2]);
                assertTrue(now[0] >= e.getValue()[0] && now[1] >= e.getValue()[1],
                        "round " + round + ": " + e.getKey() + " went down");
            }
            for (Map.Entry<String, long[]> e : counters.entrySet()) {
                long[] w = withdrawn.getOrDefault(e.getKey(), new long[2]);
                long[] s = stored.getOrDefault(e.getKey(), new long[2]);
                assertEquals(s[0], e.getValue()[0] - w[0], "round " + round + " requests " + e.getKey());
                assertEquals(s[1], e.getValue()[1] - w[1], "round " + round + " cost " + e.getKey());
            }
            before = counters;
        }
    }

    /**
     * At the grain of each counter: requests per e-mail and billing class ({@code [requests, 0]}), cost per e-mail
     * (key {@code email|*}, {@code [0, cost]}); the model is always "m" here.
     */
    private static Map<String, long[]> byKey(List<UsageTotals> rows) {
        Map<String, long[]> out = new TreeMap<>();
        for (UsageTotals t : rows) {
            out.computeIfAbsent(t.email() + "|" + t.billing().label(), k -> new long[2])[0] += t.requests();
            out.computeIfAbsent(t.email() + "|*", k -> new long[2])[1] += t.costCents().longValueExact();
        }
        return out;
    }

    private static TokenUsage tokens() {
        return new TokenUsage(100, 200, 30, 40, BigDecimal.ONE);
    }

    @SafeVarargs
    private void replace(LocalDate from, LocalDate to, Instant readUpTo, List<UsageEvent>... pages) {
        try (EventWindow w = store.openEventWindow(ACME, from, to)) {
            for (List<UsageEvent> page : pages) {
                w.add(page);
            }
            w.commitReplacing(readUpTo, true);
        }
    }

    @SafeVarargs
    private void commit(LocalDate from, LocalDate to, List<UsageEvent>... pages) {
        try (EventWindow w = store.openEventWindow(ACME, from, to)) {
            for (List<UsageEvent> page : pages) {
                w.add(page);
            }
            w.commit(true);
        }
    }

    private List<DailyUsageCost> day(LocalDate day) {
        return store.daily().dailyUsageCost(DailyQuery.days(day, day).groupByBilling());
    }

    /** The day's cost in cents, as plain text (so 10 and 10.0 compare equal). */
    private String cost(LocalDate d) {
        return day(d).stream().map(DailyUsageCost::costCents).reduce(BigDecimal.ZERO, BigDecimal::add)
                .stripTrailingZeros().toPlainString();
    }

    private long requests(LocalDate d) {
        return day(d).stream().mapToLong(DailyUsageCost::requests).sum();
    }

    private Map<String, Long> requestsByBilling(LocalDate d) {
        Map<String, Long> out = new TreeMap<>();
        day(d).forEach(r -> out.merge(r.billing(), r.requests(), Long::sum));
        return out;
    }

    private String counterCost() {
        return store.usageTotals(ACME).stream().map(UsageTotals::costCents).reduce(BigDecimal.ZERO, BigDecimal::add)
                .stripTrailingZeros().toPlainString();
    }

    private long counterRequests() {
        return store.usageTotals(ACME).stream().mapToLong(UsageTotals::requests).sum();
    }
}

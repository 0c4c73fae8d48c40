package dev.cursorexporter.store;

import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Usage events through event windows, whatever the database: exact totals, idempotent re-reads of overlaps, identical
 * events counted as often as they occur, coverage, and crash consistency (a window staged by a process that died is
 * discarded by the account's next window, on SQLite already at open, and can never commit). {@link SqliteEventWindowTest} and {@link PostgresEventWindowContractTest}.
 */
abstract class EventWindowContract extends StoreFixture {

    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final LocalDate D2 = D1.plusDays(1);
    static final LocalDate D3 = D1.plusDays(2);


    @Test
    void reReadingAnOverlapDoesNotDoubleCount() {
        UsageEvent e1 = event(at(D1, 9, 0, 0, 1), "a@x.io", "gpt-5.2", "10");
        UsageEvent e2 = event(at(D2, 9, 0, 0, 2), "a@x.io", "gpt-5.2", "20");
        UsageEvent e3 = event(at(D2, 23, 59, 59, 999), "a@x.io", "gpt-5.2", "30");
        UsageEvent e4 = event(at(D3, 0, 0, 0, 0), "a@x.io", "gpt-5.2", "40");
        commit(D1, D2, true, List.of(e1, e2), List.of(e3));
        commit(D2, D3, true, List.of(e3, e4, e2));

        assertEquals(List.of(totals("a@x.io", "gpt-5.2", BillingClass.USAGE_BASED, 4, "100")),
                store.usageTotals(ACME));
        assertEquals(Set.of(D1, D2, D3), store.coveredDays(ACME, Source.USAGE_EVENTS));
    }

    @Test
    void identicalEventsInOneWindowCountAsOftenAsTheyOccurAndOnlyEverRise() {
        UsageEvent twice = event(at(D1, 12, 0, 0, 0), "a@x.io", "default", "2.5");
        commit(D1, D1, true, List.of(twice, twice));
        assertEquals(2, store.usageTotals(ACME).get(0).requests());
        assertEquals(new BigDecimal("5"), store.usageTotals(ACME).get(0).costCents());

        // Re-read: the event now appears 3 times (split across pages) → raised to 3.
        commit(D1, D1, true, List.of(twice, twice), List.of(twice));
        assertEquals(totals("a@x.io", "default", BillingClass.USAGE_BASED, 3, "7.5"), store.usageTotals(ACME).get(0));

        // A later read that sees it once (e.g. a partial window) never lowers the count.
        commit(D1, D1, false, List.of(twice));
        assertEquals(3, store.usageTotals(ACME).get(0).requests());
    }

    @Test
    void aWindowClosedWithoutCommitLeavesNothing() {
        try (EventWindow w = store.openEventWindow(ACME, D1, D2)) {
            w.add(List.of(event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "1")));
        }
        assertEquals(List.of(), store.usageTotals(ACME));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.USAGE_EVENTS));
        assertEquals(0, store.stagedEventRows());
        assertEquals(List.of(), store.accounts(), "an abandoned window stores no account");
    }

    @Test
    void coverageOnlyWhenAskedAndEmptyWindowsStillCover() {
        commit(D1, D1, false, List.of(event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "1")));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.USAGE_EVENTS));
        commit(D2, D3, true);
        assertEquals(Set.of(D2, D3), store.coveredDays(ACME, Source.USAGE_EVENTS));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.DAILY_USAGE));
    }

    @Test
    void windowLifecycleIsEnforced() {
        EventWindow w = store.openEventWindow(ACME, D1, D1);
        w.commit(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add(List.of()));
        assertEquals("is committed", e.getMessage().replaceAll("^event window \\d+ ", ""));
        assertThrows(IllegalStateException.class, () -> w.commit(true));
        w.close(); // no-op after commit

        EventWindow closed = store.openEventWindow(ACME, D1, D1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.commit(true));
    }

    @Test
    void stagingLeftByAnotherInstanceIsCleanedByTheAccountsNextWindowAndItsWindowCannotCommit() {
        EventWindow abandoned = store.openEventWindow(ACME, D1, D1);
        abandoned.add(List.of(event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "1")));
        assertEquals(2, store.stagedEventRows());

        // The first instance is dropped without closing anything, as a crash would; the next poller of the account
        // (this process after a restart, or another replica on PostgreSQL) opens its first window.
        store = openStore();
        store.openEventWindow(ACME, D2, D2).close();
        assertEquals(0, store.stagedEventRows());
        assertThrows(IllegalStateException.class, () -> abandoned.commit(true));
        assertEquals(List.of(), store.usageTotals(ACME));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.USAGE_EVENTS));
    }

    @Test
    void costsAreSummedExactly() {
        TokenUsage tokens = new TokenUsage(212, 905, 18840, 40211, new BigDecimal("27.48391"));
        commit(D1, D1, true, List.of(
                event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "0.1"),
                event(at(D1, 1, 0, 0, 1), "a@x.io", "m", "0.2"),
                event(at(D1, 2, 0, 0, 0), "b@x.io", "m", "40.16699999999999"),
                event(at(D1, 2, 0, 0, 1), "b@x.io", "m", "40.16699999999999"),
                event(at(D1, 2, 0, 0, 2), "b@x.io", "m", "40.16699999999999"),
                // No chargedCents: totalCents + cursorTokenFee.
                event(at(D1, 3, 0, 0, 0), "c@x.io", "m", "Included in Business", tokens, null, "1.4281"),
                // Not charged: 0 whatever the tokens say; no e-mail (removed member) → "".
                event(at(D1, 4, 0, 0, 0), null, "m", "Errored, Not Charged", tokens, "5", "1"),
                event(at(D1, 5, 0, 0, 0), "Dana@X.io", "m", "User API Key", TokenUsage.NONE, null, null)));

        assertEquals(List.of(
                new UsageTotals("", "m", BillingClass.NOT_CHARGED, 1, BigDecimal.ZERO, 212, 905, 40211, 18840),
                totals("a@x.io", "m", BillingClass.USAGE_BASED, 2, "0.3"),
                totals("b@x.io", "m", BillingClass.USAGE_BASED, 3, "120.501"),
                new UsageTotals("c@x.io", "m", BillingClass.INCLUDED, 1, new BigDecimal("28.91201"), 212, 905, 40211,
                        18840),
                new UsageTotals("dana@x.io", "m", BillingClass.BYOK, 1, BigDecimal.ZERO, 0, 0, 0, 0)),
                store.usageTotals(ACME));
    }

    @Test
    void rollupMatchesABruteForceComputationOnRandomOverlappingWindows() {
        Random random = new Random(20260301);
        String[] emails = {"a@x.io", "b@x.io", "c@x.io", null};
        String[] models = {"default", "gpt-5.2", "claude-4.5-sonnet-thinking"};
        String[] kinds = {"Usage-based", "Included in Business", "Errored, Not Charged", "User API Key", "Odd"};
        List<UsageEvent> universe = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            LocalDate day = D1.plusDays(random.nextInt(20));
            Instant ts = at(day, random.nextInt(24), random.nextInt(60), 0, random.nextInt(3));
            TokenUsage tokens = new TokenUsage(random.nextInt(5000), random.nextInt(5000), random.nextInt(90000),
                    random.nextInt(90000), BigDecimal.valueOf(random.nextInt(100_000_000), 8));
            String charged = random.nextBoolean() ? null : BigDecimal.valueOf(random.nextInt(10_000_000), 7)
                    .toPlainString();
            universe.add(event(ts, emails[random.nextInt(emails.length)], models[random.nextInt(models.length)],
                    kinds[random.nextInt(kinds.length)], tokens, charged, random.nextBoolean() ? "0.25" : null));
        }

        Map<String, Integer> stored = new HashMap<>();
        Map<String, UsageEvent> byHash = new HashMap<>();
        for (int w = 0; w < 12; w++) {
            LocalDate from = D1.plusDays(random.nextInt(20));
            LocalDate to = from.plusDays(random.nextInt(6));
            List<UsageEvent> fetched = new ArrayList<>();
            for (UsageEvent e : universe) {
                LocalDate day = e.timestamp().atOffset(ZoneOffset.UTC).toLocalDate();
                if (!day.isBefore(from) && !day.isAfter(to)) {
                    int copies = 1 + (random.nextInt(10) == 0 ? random.nextInt(3) : 0);
                    for (int k = 0; k < copies; k++) {
                        fetched.add(e);
                    }
                }
            }
            Collections.shuffle(fetched, random);
            Map<String, Integer> counts = new HashMap<>();
            fetched.forEach(e -> {
                counts.merge(e.contentHash(), 1, Integer::sum);
                byHash.put(e.contentHash(), e);
            });
            counts.forEach((h, n) -> stored.merge(h, n, Math::max));
            try (EventWindow window = store.openEventWindow(ACME, from, to)) {
                for (int p = 0; p < fetched.size(); p += 37) {
                    window.add(fetched.subList(p, Math.min(fetched.size(), p + 37)));
                }
                window.commit(random.nextBoolean());
            }
        }

        Map<String, UsageTotals> expected = new TreeMap<>();
        stored.forEach((hash, n) -> {
            UsageEvent e = byHash.get(hash);
            String email = e.userEmail() == null ? "" : e.userEmail();
            String key = email + "|" + e.model() + "|" + e.billing().label();
            BigDecimal cost = e.costCents().setScale(6, RoundingMode.HALF_EVEN).multiply(BigDecimal.valueOf(n));
            UsageTotals add = new UsageTotals(email, e.model(), e.billing(), n, cost,
                    n * e.tokenUsage().inputTokens(), n * e.tokenUsage().outputTokens(),
                    n * e.tokenUsage().cacheReadTokens(), n * e.tokenUsage().cacheWriteTokens());
            expected.merge(key, add, (a, b) -> new UsageTotals(a.email(), a.model(), a.billing(),
                    a.requests() + b.requests(), a.costCents().add(b.costCents()), a.inputTokens() + b.inputTokens(),
                    a.outputTokens() + b.outputTokens(), a.cacheReadTokens() + b.cacheReadTokens(),
                    a.cacheWriteTokens() + b.cacheWriteTokens()));
        });

        // Per day, user and model (the datasource's view of the same rollup).
        Map<String, long[]> expectedDaily = new TreeMap<>();
        Map<String, BigDecimal> expectedDailyCost = new TreeMap<>();
        stored.forEach((hash, n) -> {
            UsageEvent e = byHash.get(hash);
            String key = e.timestamp().atOffset(ZoneOffset.UTC).toLocalDate() + "|"
                    + (e.userEmail() == null ? "" : e.userEmail()) + "|" + e.model();
            long[] sums = expectedDaily.computeIfAbsent(key, k -> new long[5]);
            sums[0] += n;
            sums[1] += n * e.tokenUsage().inputTokens();
            sums[2] += n * e.tokenUsage().outputTokens();
            sums[3] += n * e.tokenUsage().cacheReadTokens();
            sums[4] += n * e.tokenUsage().cacheWriteTokens();
            expectedDailyCost.merge(key, e.costCents().setScale(6, RoundingMode.HALF_EVEN)
                    .multiply(BigDecimal.valueOf(n)), BigDecimal::add);
        });
        List<DailyUsageCost> daily = store.daily().dailyUsageCost(
                DailyQuery.days(D1, D1.plusDays(40)).groupByUser().groupByModel());
        assertEquals(expectedDaily.size(), daily.size());
        for (DailyUsageCost d : daily) {
            String key = d.day() + "|" + d.email() + "|" + d.model();
            assertEquals(List.of(expectedDaily.get(key)[0], expectedDaily.get(key)[1], expectedDaily.get(key)[2],
                            expectedDaily.get(key)[3], expectedDaily.get(key)[4]),
                    List.of(d.requests(), d.inputTokens(), d.outputTokens(), d.cacheReadTokens(),
                            d.cacheWriteTokens()), key);
            assertEquals(0, expectedDailyCost.get(key).compareTo(d.costCents()), key);
        }

        // Per day and model without users (answered from usage_model_daily) and per day only: the same sums.
        Map<String, long[]> expectedByModel = new TreeMap<>();
        Map<String, BigDecimal> expectedByModelCost = new TreeMap<>();
        Map<String, long[]> expectedByDay = new TreeMap<>();
        expectedDaily.forEach((key, sums) -> {
            String[] parts = key.split("\\|", -1);
            add(expectedByModel.computeIfAbsent(parts[0] + "|" + parts[2], k -> new long[5]), sums);
            add(expectedByDay.computeIfAbsent(parts[0], k -> new long[5]), sums);
            expectedByModelCost.merge(parts[0] + "|" + parts[2], expectedDailyCost.get(key), BigDecimal::add);
        });
        List<DailyUsageCost> byModel = store.daily().dailyUsageCost(DailyQuery.days(D1, D1.plusDays(40)).groupByModel());
        assertEquals(expectedByModel.keySet(), keys(byModel, d -> d.day() + "|" + d.model()));
        for (DailyUsageCost d : byModel) {
            String key = d.day() + "|" + d.model();
            assertEquals(null, d.email(), key);
            assertEquals(List.of(expectedByModel.get(key)[0], expectedByModel.get(key)[1],
                    expectedByModel.get(key)[2], expectedByModel.get(key)[3], expectedByModel.get(key)[4]),
                    List.of(d.requests(), d.inputTokens(), d.outputTokens(), d.cacheReadTokens(),
                            d.cacheWriteTokens()), key);
            assertEquals(0, expectedByModelCost.get(key).compareTo(d.costCents()), key);
        }
        List<DailyUsageCost> byDay = store.daily().dailyUsageCost(DailyQuery.days(D1, D1.plusDays(40)));
        assertEquals(expectedByDay.keySet(), keys(byDay, d -> d.day().toString()));
        byDay.forEach(d -> assertEquals(expectedByDay.get(d.day().toString())[0], d.requests(), d.day().toString()));
        String oneModel = models[1];
        List<DailyUsageCost> filtered = store.daily().dailyUsageCost(
                DailyQuery.days(D1, D1.plusDays(40)).groupByModel().withModels(Set.of(oneModel)));
        assertEquals(expectedByModel.keySet().stream().filter(k -> k.endsWith("|" + oneModel))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                keys(filtered, d -> d.day() + "|" + d.model()));

        List<UsageTotals> actual = store.usageTotals(ACME);
        assertEquals(expected.size(), actual.size());
        for (UsageTotals a : actual) {
            UsageTotals e = expected.get(a.email() + "|" + a.model() + "|" + a.billing().label());
            assertEquals(0, e.costCents().compareTo(a.costCents()), a + " vs " + e);
            assertEquals(e, new UsageTotals(a.email(), a.model(), a.billing(), a.requests(), e.costCents(),
                    a.inputTokens(), a.outputTokens(), a.cacheReadTokens(), a.cacheWriteTokens()));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void add(long[] into, long[] sums) {
        for (int i = 0; i < into.length; i++) {
            into[i] += sums[i];
        }
    }

    private static Set<String> keys(List<DailyUsageCost> rows, java.util.function.Function<DailyUsageCost, String> key) {
        Set<String> out = new java.util.TreeSet<>();
        rows.forEach(r -> assertEquals(true, out.add(key.apply(r)), "duplicate row " + key.apply(r)));
        return out;
    }

    @SafeVarargs
    private void commit(LocalDate from, LocalDate to, boolean markCovered, List<UsageEvent>... pages) {
        try (EventWindow w = store.openEventWindow(ACME, from, to)) {
            for (List<UsageEvent> page : pages) {
                w.add(page);
            }
            w.commit(markCovered);
        }
    }

    private static UsageTotals totals(String email, String model, BillingClass billing, long n, String cost) {
        return new UsageTotals(email, model, billing, n, new BigDecimal(cost), 100 * n, 200 * n, 40 * n, 30 * n);
    }
}

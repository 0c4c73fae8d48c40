package dev.cursorexporter.budget;

import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.GroupAssignment;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciliation on a real store: per day and team, the estimate is exactly the OTel cost the receiver stored for
 * the day's members (by e-mail or Admin API id) and the settled cost exactly the usage events' cost, summed here
 * independently from what was written; each day's state follows the coverage of the usage events and whether any
 * estimate arrived.
 */
class CostReconciliationTest {
    private static final String ACME = "acme";
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    /** Stored for good: TODAY-12 .. TODAY-4; the look-back read TODAY-1 and TODAY. */
    private static final LocalDate FIRST = TODAY.minusDays(12);
    private static final LocalDate LAST_COVERED = TODAY.minusDays(4);
    /** A covered day nothing of OTel arrived for. */
    private static final LocalDate NO_OTEL = TODAY.minusDays(4);
    private static final String ANA = "ana@acme.io";
    private static final String BO = "bo@acme.io";
    private static final String CY = "cy@acme.io";
    private static final Directory DIRECTORY = email -> switch (email == null ? "" : email) {
        case ANA -> new Assignment("Platform", "Berlin");
        case BO, CY -> new Assignment("Payments", "London");
        default -> Assignment.DEFAULT;
    };

    @TempDir
    Path dir;
    private SqliteStore store;
    /** What was written: day → team → settled cents / estimated micro-USD, added up as the test writes. */
    private final Map<LocalDate, Map<String, BigDecimal>> settledCents = new TreeMap<>();
    private final Map<LocalDate, Map<String, Long>> estimatedMicros = new TreeMap<>();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        store.saveMembers(ACME, List.of(new Member("user_ana", ANA, "Ana", "member", false),
                new Member("user_bo", BO, "Bo", "member", false)), NOW);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private CostReconciliation reconciliation() {
        return new CostReconciliation(store, List.of(ACME), () -> DIRECTORY, true, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Usage events of the days, as the sync stores them: a final window marked covered, the look-back not. */
    private void events(LocalDate from, LocalDate to, boolean covered, Map<LocalDate, Map<String, String>> cents) {
        List<UsageEvent> events = new ArrayList<>();
        cents.forEach((day, byUser) -> byUser.forEach((email, c) -> {
            events.add(new UsageEvent(day.atTime(9, 30).toInstant(ZoneOffset.UTC), email, "gpt-5", "Usage-based",
                    false, BigDecimal.ONE, new TokenUsage(10, 20, 0, 0, new BigDecimal(c)), new BigDecimal(c), null,
                    false, null));
            settledCents.computeIfAbsent(day, d -> new TreeMap<>()).merge(DIRECTORY.lookup(email).team(),
                    new BigDecimal(c), BigDecimal::add);
        }));
        try (EventWindow w = store.openEventWindow(ACME, from, to)) {
            w.add(events);
            w.commit(covered);
        }
    }

    private void otel(LocalDate day, OtelIdentity who, String team, long micros) {
        store.otel().apply(new OtelBatch("metrics", List.of(new OtelIncrement(OtelFamily.COST, who,
                List.of("desktop", "gpt-5"), micros, day)), List.of()), NOW);
        estimatedMicros.computeIfAbsent(day, d -> new TreeMap<>()).merge(team, micros, Long::sum);
    }

    /**
     * Covered days: ana, bo and an event without e-mail (a removed member) every day; OTel from ana by e-mail, bo by
     * his Admin API id only, and a run without any user, except on {@link #NO_OTEL}. The look-back days have events
     * and OTel too; the last usage-events poll was today.
     */
    private void history() {
        Map<LocalDate, Map<String, String>> covered = new TreeMap<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST_COVERED); d = d.plusDays(1)) {
            int i = (int) (d.toEpochDay() - FIRST.toEpochDay());
            covered.put(d, Map.of(ANA, (100 + i) + (i % 2 == 0 ? "" : ".125"), BO, "50", "", "7.5"));
            if (!d.equals(NO_OTEL)) {
                otel(d, new OtelIdentity(ANA.toUpperCase(), ""), "Platform", 1_000_000 + i * 10_001L);
                otel(d, new OtelIdentity("", "user_bo"), "Payments", 450_000);
                otel(d, OtelIdentity.NOBODY, "unassigned", 10_000);
            }
        }
        events(FIRST, LAST_COVERED, true, covered);
        events(TODAY.minusDays(1), TODAY, false, Map.of(TODAY.minusDays(1), Map.of(ANA, "12.25"),
                TODAY, Map.of(BO, "3")));
        otel(TODAY.minusDays(1), new OtelIdentity(ANA, ""), "Platform", 130_000);
        otel(TODAY, new OtelIdentity("", "user_bo"), "Payments", 20_000);
        store.saveSourceState(ACME, Source.USAGE_EVENTS, new SourceState(NOW, null, null));
    }

    private void assign() {
        store.assignGroups(email -> {
            Assignment a = DIRECTORY.lookup(email);
            return new GroupAssignment(a.team(), a.location());
        });
    }

    @Test
    void everyDayAndTeamComparesTheExactSumsAndSaysHowSettledTheDayIs() {
        history();
        assign();
        List<CostReconciliation.Row> rows = reconciliation().days(FIRST, TODAY);
        List<String> teams = List.of("Payments", "Platform", "unassigned");
        assertEquals(13 * teams.size(), rows.size(), "every team on every day");
        for (CostReconciliation.Row r : rows) {
            String where = r.day() + " " + r.team();
            boolean covered = !r.day().isAfter(LAST_COVERED);
            boolean estimated = estimatedMicros.containsKey(r.day());
            assertEquals(!estimated ? CostReconciliation.State.NO_ESTIMATE
                    : covered ? CostReconciliation.State.SETTLED : CostReconciliation.State.PENDING, r.state(), where);
            BigDecimal settled = settledCents.getOrDefault(r.day(), Map.of()).getOrDefault(r.team(), BigDecimal.ZERO)
                    .movePointLeft(2);
            assertEquals(0, settled.compareTo(r.settledUsd()), where + " settled " + r.settledUsd());
            if (!estimated) {
                assertNull(r.estimatedUsd(), where);
                assertNull(r.ratio(), where);
                assertNull(r.differenceUsd(), where);
                continue;
            }
            BigDecimal estimate = BigDecimal.valueOf(estimatedMicros.get(r.day()).getOrDefault(r.team(), 0L), 6);
            assertEquals(0, estimate.compareTo(r.estimatedUsd()), where + " estimated " + r.estimatedUsd());
            assertEquals(0, estimate.subtract(settled).compareTo(r.differenceUsd()), where);
            assertEquals(settled.signum() == 0 ? null
                    : estimate.divide(settled, 4, java.math.RoundingMode.HALF_EVEN), r.ratio(), where);
        }
        CostReconciliation.Row first = rows.get(1);
        assertEquals(List.of(FIRST, "Platform", "1", "1", "0", "1.0000"), List.of(first.day(), first.team(),
                first.estimatedUsd().toPlainString(), first.settledUsd().toPlainString(),
                first.differenceUsd().toPlainString(), first.ratio().toPlainString()), "ana: $1 sent, 100 cents");
    }

    @Test
    void theLookBackDaysArePendingAndADayNobodyReadHasNoSettledFigure() {
        history();
        store.saveSourceState(ACME, Source.USAGE_EVENTS, new SourceState(NOW.minusSeconds(86_400), null, null));
        otel(TODAY.plusDays(1), new OtelIdentity(ANA, ""), "Platform", 5);
        Map<LocalDate, CostReconciliation.Row> platform = new TreeMap<>();
        reconciliation().days(TODAY.minusDays(2), TODAY.plusDays(1)).stream()
                .filter(r -> r.team().equals("Platform")).forEach(r -> platform.put(r.day(), r));
        assertEquals(CostReconciliation.State.NO_ESTIMATE, platform.get(TODAY.minusDays(2)).state());
        assertEquals(0, platform.get(TODAY.minusDays(2)).settledUsd().signum(), "held by the look-back: zero");
        assertEquals(CostReconciliation.State.PENDING, platform.get(TODAY.minusDays(1)).state());
        assertEquals(new BigDecimal("0.1225"), platform.get(TODAY.minusDays(1)).settledUsd());
        assertEquals(CostReconciliation.State.PENDING, platform.get(TODAY).state(), "others' estimate: pending");
        assertNull(platform.get(TODAY).settledUsd(), "the last poll was yesterday: today is not read");
        assertEquals(BigDecimal.ZERO, platform.get(TODAY).estimatedUsd());
        assertNull(platform.get(TODAY).ratio());
        assertNull(platform.get(TODAY.plusDays(1)).settledUsd());
    }

    /**
     * E-mails the stored assignment does not cover yet (new since the last one) are grouped by the directory, as the
     * datasource does: the answer is the same before the first assignment, after it, and with a new e-mail.
     */
    @Test
    void unassignedEmailsCountUnderTheirDirectoryTeam() {
        history();
        List<CostReconciliation.Row> before = reconciliation().days(FIRST, TODAY);
        assign();
        assertEquals(before, reconciliation().days(FIRST, TODAY));
        events(FIRST, FIRST, true, Map.of(FIRST, Map.of(CY, "40")));
        CostReconciliation.Row payments = reconciliation().days(FIRST, FIRST).stream()
                .filter(r -> r.team().equals("Payments")).findFirst().orElseThrow();
        assertEquals(new BigDecimal("0.9"), payments.settledUsd(), "bo's 50 cents and cy's 40");
    }

    /** The gauge's and status' window: the 7 newest settled days, totals per team and overall. */
    @Test
    void theWindowIsTheSevenNewestSettledDays() {
        history();
        assign();
        CostReconciliation.Window w = reconciliation().lastSettledDays();
        List<LocalDate> expected = new ArrayList<>();
        for (LocalDate d = TODAY.minusDays(11); !d.isAfter(TODAY.minusDays(5)); d = d.plusDays(1)) {
            expected.add(d);
        }
        assertEquals(expected, w.days(), "NO_OTEL and the look-back are not settled days");
        Map<String, BigDecimal[]> want = new HashMap<>();
        BigDecimal[] total = {BigDecimal.ZERO, BigDecimal.ZERO};
        for (LocalDate d : expected) {
            for (String team : List.of("Payments", "Platform", "unassigned")) {
                BigDecimal e = BigDecimal.valueOf(estimatedMicros.get(d).getOrDefault(team, 0L), 6);
                BigDecimal s = settledCents.get(d).getOrDefault(team, BigDecimal.ZERO).movePointLeft(2);
                BigDecimal[] t = want.computeIfAbsent(team, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                t[0] = t[0].add(e);
                t[1] = t[1].add(s);
                total[0] = total[0].add(e);
                total[1] = total[1].add(s);
            }
        }
        assertEquals(want.keySet(), w.byTeam().keySet());
        want.forEach((team, t) -> {
            assertEquals(0, t[0].compareTo(w.byTeam().get(team).estimatedUsd()), team);
            assertEquals(0, t[1].compareTo(w.byTeam().get(team).settledUsd()), team);
        });
        assertEquals(0, total[0].compareTo(w.total().estimatedUsd()));
        assertEquals(0, total[1].compareTo(w.total().settledUsd()));
        assertEquals(total[0].divide(total[1], 4, java.math.RoundingMode.HALF_EVEN), w.total().ratio());
        assertEquals(Optional.of(TODAY), reconciliation().newestEstimateDay());
    }

    @Test
    void noEstimateAnywhereMeansNoWindow() {
        events(FIRST, LAST_COVERED, true, Map.of(FIRST, Map.of(ANA, "10")));
        CostReconciliation r = reconciliation();
        assertTrue(r.lastSettledDays().days().isEmpty());
        assertNull(r.lastSettledDays().total());
        assertTrue(r.days(FIRST, FIRST).stream().allMatch(x -> x.state() == CostReconciliation.State.NO_ESTIMATE
                && x.estimatedUsd() == null), "no estimate: settled figures only");
        assertEquals(Optional.empty(), r.newestEstimateDay());
    }

    /** Cached answers are dropped by invalidate(), as after a sync job or an OTLP request. */
    @Test
    void anInvalidatedAnswerIsComputedAgain() {
        history();
        CostReconciliation r = reconciliation();
        BigDecimal before = r.days(TODAY, TODAY).stream().filter(x -> x.team().equals("Payments")).findFirst()
                .orElseThrow().estimatedUsd();
        otel(TODAY, new OtelIdentity(BO, ""), "Payments", 1_000_000);
        assertEquals(before, r.days(TODAY, TODAY).stream().filter(x -> x.team().equals("Payments")).findFirst()
                .orElseThrow().estimatedUsd(), "cached");
        r.invalidate();
        assertEquals(before.add(BigDecimal.ONE), r.days(TODAY, TODAY).stream()
                .filter(x -> x.team().equals("Payments")).findFirst().orElseThrow().estimatedUsd());
    }
}

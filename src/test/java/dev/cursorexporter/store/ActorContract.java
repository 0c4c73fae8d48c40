package dev.cursorexporter.store;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.UsageEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who spent it (actor): rollups, restatements and re-filing per actor, whatever the database. {@link ActorStoreTest}, {@link PostgresActorContractTest}. */
abstract class ActorContract {

    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final Instant END_OF_D1 = D1.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);

    /** A store on an empty database; each call of one test opens the same database again. */
    protected abstract SqliteStore openStore();

    @Test
    void countersAndDailyRowsPerActorAddUpToTheTotals() {
        try (SqliteStore store = openStore()) {
            replace(store, List.of(
                    event(at(D1, 9, 0, 0, 0), "a@x.io", "gpt-5.2", "10"),
                    as(event(at(D1, 9, 0, 0, 1), "a@x.io", "gpt-5.2", "20"), Actor.CLOUD_AGENT, null),
                    as(event(at(D1, 9, 0, 0, 2), "a@x.io", "gpt-5.2", "30"), Actor.AUTOMATION, null),
                    as(event(at(D1, 9, 0, 0, 3), null, "gpt-5.2", "40"), Actor.SERVICE_ACCOUNT, "CI-Bot"),
                    as(event(at(D1, 9, 0, 0, 4), null, "gpt-5.2", "40"), Actor.SERVICE_ACCOUNT, "CI-Bot")));

            assertEquals(Map.of("a@x.io human", "10", "a@x.io cloud_agent", "20", "a@x.io automation", "30",
                    "sa:ci-bot service_account", "80"), totals(store));
            // every rollup that reads by actor, and the ones that sum it away
            Map<String, String> expected = Map.of("human", "10", "cloud_agent", "20", "automation", "30",
                    "service_account", "80");
            assertEquals(expected, byActor(store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByActor())));
            assertEquals(expected, byActor(store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByUser()
                    .groupByActor().summedOverRange())));
            assertEquals("140", store.daily().dailyUsageCost(DailyQuery.days(D1, D1)).get(0).costCents()
                    .stripTrailingZeros().toPlainString());
            assertEquals(2, store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByUser()).size(),
                    "per user: a@x.io and sa:ci-bot");
        }
    }

    /**
     * A restatement that lowers an agent's event is withdrawn under that actor, and an event re-read with its
     * caller fields (stored before they were read, so as a person's) moves to its actor with what left
     * {@code human} withdrawn: per actor, counter minus withdrawn is Cursor's figure, and no counter goes down.
     */
    @Test
    void restatementsAndRefiledEventsStayExactPerActor() {
        Instant t1 = at(D1, 9, 0, 0, 0);
        Instant t2 = at(D1, 10, 0, 0, 0);
        UsageEvent agent = as(event(t1, "a@x.io", "m", "10"), Actor.CLOUD_AGENT, null);
        UsageEvent ci = event(t2, null, "m", "6"); // as a store that did not read the caller fields holds it
        try (SqliteStore store = openStore()) {
            replace(store, List.of(agent, ci));
            assertEquals(Map.of("a@x.io cloud_agent", "10", " human", "6"), totals(store));

            UsageEvent agentRestated = as(event(t1, "a@x.io", "m", "4"), Actor.CLOUD_AGENT, null);
            replace(store, List.of(agentRestated, as(ci, Actor.SERVICE_ACCOUNT, "ci-bot")));

            assertEquals(Map.of("a@x.io cloud_agent", "10", " human", "6", "sa:ci-bot service_account", "6"),
                    totals(store), "counters never go down");
            assertEquals(Map.of("a@x.io cloud_agent", "6", " human", "6"), sums(store.usageWithdrawn(ACME)));
            assertEquals(Map.of("cloud_agent", "4", "service_account", "6"),
                    byActor(store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByActor())),
                    "the history is Cursor's current figure");
        }
    }

    /** What a store written before V13 shows: every stored row is a person's, and its totals are unchanged. */

    static UsageEvent as(UsageEvent e, Actor actor, String serviceAccount) {
        return new UsageEvent(e.timestamp(), e.userEmail(), e.model(), e.kind(), e.maxMode(), e.requestsCosts(),
                e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), e.headless(), e.conversationId(), actor,
                serviceAccount);
    }

    static void replace(SqliteStore store, List<UsageEvent> events) {
        try (EventWindow w = store.openEventWindow(ACME, D1, D1)) {
            w.add(events);
            w.commitReplacing(END_OF_D1, true);
        }
    }

    /** Counted cost in cents per "e-mail actor". */
    static Map<String, String> totals(SqliteStore store) {
        return sums(store.usageTotals(ACME));
    }

    static Map<String, String> sums(List<UsageTotals> rows) {
        Map<String, BigDecimal> out = new TreeMap<>();
        rows.forEach(t -> out.merge(t.email() + " " + t.actor().label(), t.costCents(), BigDecimal::add));
        return plain(out);
    }

    static Map<String, String> byActor(List<DailyUsageCost> rows) {
        Map<String, BigDecimal> out = new TreeMap<>();
        rows.forEach(r -> out.merge(r.actor(), r.costCents(), BigDecimal::add));
        return plain(out);
    }

    static Map<String, String> plain(Map<String, BigDecimal> sums) {
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, v) -> {
            if (v.signum() != 0) {
                out.put(k, v.stripTrailingZeros().toPlainString());
            }
        });
        return out;
    }
}

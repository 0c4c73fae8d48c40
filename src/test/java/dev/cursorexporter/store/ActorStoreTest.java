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

/**
 * The actor of each usage event in the store (V13): in the rollups the usage counters and {@code by=actor} read,
 * exact under restatements, and what a store written before it shows.
 */
class ActorStoreTest {

    private static final String ACME = "acme";
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    private static final Instant END_OF_D1 = D1.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);

    @TempDir
    Path dir;

    @Test
    void countersAndDailyRowsPerActorAddUpToTheTotals() {
        try (SqliteStore store = SqliteStore.open(dir)) {
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
        try (SqliteStore store = SqliteStore.open(dir)) {
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
    @Test
    void anOlderStoreFilesItsHistoryAsHuman() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("11").load()
                .migrate();
        long day = D1.toEpochDay();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO account (id, name) VALUES (1, 'acme')");
            String measures = "requests, cost_ucents, input_tokens, output_tokens, cache_read_tokens,"
                    + " cache_write_tokens";
            s.executeUpdate("INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing,"
                    + " max_mode, cost_ucents, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
                    + " multiplicity) VALUES (1, " + day + ", x'01', " + day * 86_400_000L + ", 'a@x.io', 'm',"
                    + " 'Usage-based', 'usage_based', 0, 3000000, 1, 2, 3, 4, 2)");
            s.executeUpdate("INSERT INTO usage_rollup (account_id, day, email, model, billing, " + measures
                    + ") VALUES (1, " + day + ", 'a@x.io', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
            s.executeUpdate("INSERT INTO usage_totals (account_id, email, model, billing, " + measures
                    + ") VALUES (1, 'a@x.io', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
            s.executeUpdate("INSERT INTO usage_withdrawn (account_id, day, email, model, billing, " + measures
                    + ") VALUES (1, " + day + ", 'a@x.io', 'm', 'usage_based', 1, 1000000, 0, 0, 0, 0)");
            s.executeUpdate("INSERT INTO usage_group_daily (account_id, day, team, location, model, billing, "
                    + measures + ") VALUES (1, " + day + ", '', '', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(Map.of("a@x.io human", "7"), totals(store), "6 stored + 1 withdrawn");
            assertEquals(Map.of("human", "6"),
                    byActor(store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByActor())));
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT group_concat(DISTINCT actor) FROM usage_events),"
                     + " (SELECT group_concat(DISTINCT actor) FROM usage_rollup),"
                     + " (SELECT group_concat(DISTINCT actor) FROM usage_withdrawn)")) {
            rs.next();
            assertEquals(List.of("human", "human", "human"), List.of(rs.getString(1), rs.getString(2),
                    rs.getString(3)));
        }
    }

    private static UsageEvent as(UsageEvent e, Actor actor, String serviceAccount) {
        return new UsageEvent(e.timestamp(), e.userEmail(), e.model(), e.kind(), e.maxMode(), e.requestsCosts(),
                e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), e.headless(), e.conversationId(), actor,
                serviceAccount);
    }

    private static void replace(SqliteStore store, List<UsageEvent> events) {
        try (EventWindow w = store.openEventWindow(ACME, D1, D1)) {
            w.add(events);
            w.commitReplacing(END_OF_D1, true);
        }
    }

    /** Counted cost in cents per "e-mail actor". */
    private static Map<String, String> totals(SqliteStore store) {
        return sums(store.usageTotals(ACME));
    }

    private static Map<String, String> sums(List<UsageTotals> rows) {
        Map<String, BigDecimal> out = new TreeMap<>();
        rows.forEach(t -> out.merge(t.email() + " " + t.actor().label(), t.costCents(), BigDecimal::add));
        return plain(out);
    }

    private static Map<String, String> byActor(List<DailyUsageCost> rows) {
        Map<String, BigDecimal> out = new TreeMap<>();
        rows.forEach(r -> out.merge(r.actor(), r.costCents(), BigDecimal::add));
        return plain(out);
    }

    private static Map<String, String> plain(Map<String, BigDecimal> sums) {
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, v) -> {
            if (v.signum() != 0) {
                out.put(k, v.stripTrailingZeros().toPlainString());
            }
        });
        return out;
    }
}

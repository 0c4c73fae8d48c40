package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OTLP receiver's durable state, whatever the database. {@link SqliteOtelTest}, {@link PostgresOtelContractTest}. */
abstract class OtelContract extends StoreFixture {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final LocalDate DAY = LocalDate.ofInstant(T0, java.time.ZoneOffset.UTC);
    static final OtelIdentity ANA = new OtelIdentity("Ana@Acme.COM", "");


    static OtelIncrement tokens(OtelIdentity who, String model, String type, long n) {
        return new OtelIncrement(OtelFamily.TOKENS, who, List.of("desktop", model, type), n, DAY);
    }

    static OtelIncrement cost(OtelIdentity who, String model, long microUsd, LocalDate day) {
        return new OtelIncrement(OtelFamily.COST, who, List.of("desktop", model), microUsd, day);
    }

    List<OtelDailyCost> dailyCost(LocalDate from, LocalDate to) {
        List<OtelDailyCost> out = new ArrayList<>();
        store.otel().dailyCost(from, to, out::add);
        return out;
    }

    static OtelLogRecord record(String id, String event) {
        return new OtelLogRecord(id, event, ANA, "desktop", "unknown", "unknown", "", "", "", OtelTokens.NONE);
    }

    static OtelLogRecord ended(String id, String event, String outcome) {
        return new OtelLogRecord(id, event, ANA, "cloud_agent", "unknown", "unknown", "", "", outcome,
                OtelTokens.NONE);
    }

    static OtelLogRecord request(String id, String usageId, OtelTokens tokens) {
        return new OtelLogRecord(id, OtelLogRecord.API_REQUEST, ANA, "cli", "gpt-5", "unknown", usageId, "", "",
                tokens);
    }

    static OtelLogRecord correction(String id, String usageId) {
        return new OtelLogRecord(id, OtelLogRecord.API_CORRECTION, ANA, "cli", "unknown", "unknown", usageId,
                "not_billed_errored", "", OtelTokens.NONE);
    }

    private int metrics(OtelIncrement... increments) {
        return store.otel().apply(new OtelBatch("metrics", List.of(increments), List.of()), T0);
    }

    private int logs(Instant at, OtelLogRecord... records) {
        return store.otel().apply(new OtelBatch("logs", List.of(), List.of(records)), at);
    }

    /** family/email/account_id/labels → value. */
    Map<String, Long> counters() {
        Map<String, Long> out = new HashMap<>();
        store.otel().counters(c -> out.put(c.family().key() + "/" + c.who().email() + "/" + c.who().accountId() + "/"
                + String.join(",", c.labels()), c.value()));
        return out;
    }

    @Test
    void deltasSumPerSeriesAndSurviveReopening() {
        metrics(tokens(ANA, "gpt-5", "input", 100), tokens(ANA, "gpt-5", "input", 20),
                tokens(ANA, "gpt-5", "output", 7),
                new OtelIncrement(OtelFamily.COST, ANA, List.of("desktop", "gpt-5"), 1_250_000, DAY));
        metrics(tokens(ANA, "gpt-5", "input", 5));
        reopen();
        Map<String, Long> c = counters();
        assertEquals(125L, c.get("tokens/ana@acme.com//desktop,gpt-5,input"));
        assertEquals(7L, c.get("tokens/ana@acme.com//desktop,gpt-5,output"));
        assertEquals(1_250_000L, c.get("cost/ana@acme.com//desktop,gpt-5"));
        assertEquals(T0, store.otel().lastReceived().get("metrics"));
    }

    /**
     * Every cost point is also added to its identity's UTC day (the day of the point's time, which the decoder
     * gives it), in the same request: summed over the days, each identity has what its cost counters have.
     */
    @Test
    void theEstimatedCostIsKeptPerDayOfItsDataPoint() {
        LocalDate before = DAY.minusDays(1);
        OtelIdentity bo = new OtelIdentity("", "user_bo");
        OtelIdentity ana = new OtelIdentity("ana@acme.com", "");
        List<OtelIncrement> first = List.of(cost(ANA, "gpt-5", 1_250_000, before),
                cost(ANA, "claude", 250_001, before), cost(bo, "gpt-5", 10, before), cost(ANA, "gpt-5", 3, DAY),
                tokens(ANA, "gpt-5", "input", 99));
        List<OtelIncrement> second = List.of(cost(ANA, "gpt-5", 7, DAY), cost(bo, "gpt-5", 0, DAY));
        metrics(first.toArray(OtelIncrement[]::new));
        metrics(second.toArray(OtelIncrement[]::new));
        reopen();
        assertEquals(List.of(new OtelDailyCost(before, bo, 10), new OtelDailyCost(before, ana, 1_500_001),
                new OtelDailyCost(DAY, ana, 10)), dailyCost(before, DAY), "by day, then identity; no zero rows");
        assertEquals(List.of(new OtelDailyCost(DAY, ana, 10)), dailyCost(DAY, DAY.plusDays(3)));
        assertEquals(List.of(), dailyCost(DAY.minusDays(9), DAY.minusDays(2)));
        assertEquals(java.util.Optional.of(DAY), store.otel().newestCostDay());

        // independently: the increments sent, per identity, and the cost counters per identity
        Map<OtelIdentity, Long> sent = new HashMap<>();
        for (OtelIncrement i : java.util.stream.Stream.concat(first.stream(), second.stream()).toList()) {
            if (i.family() == OtelFamily.COST) {
                sent.merge(i.who(), i.value(), Long::sum);
            }
        }
        Map<OtelIdentity, Long> days = new HashMap<>();
        dailyCost(before, DAY).forEach(d -> days.merge(d.who(), d.microUsd(), Long::sum));
        Map<OtelIdentity, Long> counted = new HashMap<>();
        store.otel().counters(c -> {
            if (c.family() == OtelFamily.COST) {
                counted.merge(c.who(), c.value(), Long::sum);
            }
        });
        sent.values().removeIf(v -> v == 0);
        assertEquals(sent, days);
        assertEquals(counted, days);
    }

    /**
     * A store of the release before V14 keeps its OTel counters as they were; the estimate per day starts with the
     * upgrade (the counters' cost has no day, so the days before it have none) and fills from the next request.
     */
    @Test
    void noCostDayBeforeTheFirstCost() {
        metrics(tokens(ANA, "gpt-5", "input", 5));
        assertEquals(java.util.Optional.empty(), store.otel().newestCostDay());
        assertEquals(List.of(), dailyCost(DAY.minusDays(30), DAY));
    }

    @Test
    void aLogRecordCountsOnceAcrossRetriesAndReopening() {
        assertEquals(0, logs(T0, record("e1", "cursor.skill.activated"), record("e2", "cursor.skill.activated")));
        assertEquals(1, logs(T0.plusSeconds(60), record("e1", "cursor.skill.activated")));
        reopen();
        assertEquals(2, logs(T0.plus(Duration.ofDays(6)), record("e1", "cursor.skill.activated"),
                record("e2", "cursor.skill.activated")));
        assertEquals(2L, counters().get("log_events/ana@acme.com//desktop,cursor.skill.activated"));
    }

    @Test
    void recordsThatSayHowTheyEndedAreAlsoCountedByThatOutcomeOnce() {
        logs(T0, ended("s1", "cursor.cloud_agent.setup", "started"), ended("s2", "cursor.cloud_agent.setup", "failed"),
                ended("s3", "cursor.cloud_agent.setup", "started"), record("k1", "cursor.skill.activated"));
        assertEquals(1, logs(T0.plusSeconds(60), ended("s2", "cursor.cloud_agent.setup", "failed")), "a retry");
        reopen();
        Map<String, Long> c = counters();
        assertEquals(2L, c.get("event_outcomes/ana@acme.com//cloud_agent,cursor.cloud_agent.setup,started"));
        assertEquals(1L, c.get("event_outcomes/ana@acme.com//cloud_agent,cursor.cloud_agent.setup,failed"));
        assertEquals(3L, c.get("log_events/ana@acme.com//cloud_agent,cursor.cloud_agent.setup"));
        assertEquals(List.of(), c.keySet().stream().filter(k -> k.startsWith("event_outcomes/")
                && k.contains("skill")).toList(), "an event without an outcome has none");
    }

    @Test
    void idsOlderThanTheWindowArePrunedSoAVeryLateRetryCountsAgain() {
        logs(T0, record("e1", "cursor.skill.activated"));
        // the first request of a process prunes; a request 9 days later finds e1 gone
        reopen();
        assertEquals(0, logs(T0.plus(Duration.ofDays(9)), record("e1", "cursor.skill.activated")));
        assertEquals(2L, counters().get("log_events/ana@acme.com//desktop,cursor.skill.activated"));
    }

    @Test
    void aCorrectionAppliesToItsRequestInEitherOrderAndOnlyOnce() {
        OtelTokens t = new OtelTokens(1000, 200, 50, 10);
        logs(T0, request("r1", "u1", t), correction("c1", "u1"));
        logs(T0, correction("c2", "u2"));
        reopen();
        logs(T0.plusSeconds(30), request("r2", "u2", t));
        logs(T0.plusSeconds(40), correction("c3", "u1"), request("r3", "u3", t)); // a second correction of u1
        Map<String, Long> c = counters();
        assertEquals(2L, c.get("corrected_requests/ana@acme.com//cli,gpt-5,not_billed_errored"));
        assertEquals(2000L, c.get("corrected_tokens/ana@acme.com//cli,gpt-5,not_billed_errored,input"));
        assertEquals(400L, c.get("corrected_tokens/ana@acme.com//cli,gpt-5,not_billed_errored,output"));
        assertEquals(100L, c.get("corrected_tokens/ana@acme.com//cli,gpt-5,not_billed_errored,cache_read"));
        assertEquals(20L, c.get("corrected_tokens/ana@acme.com//cli,gpt-5,not_billed_errored,cache_write"));
        assertEquals(3L, c.get("log_events/ana@acme.com//cli,cursor.api.request"));
        assertEquals(3L, c.get("log_events/ana@acme.com//cli,cursor.api.correction"));
    }

    @Test
    void openEndedValuesAreBoundedPerDimensionDurably() {
        int limit = SqliteOtel.LIMITS.get("tool");
        List<OtelIncrement> calls = new ArrayList<>();
        for (int i = 0; i < limit + 50; i++) {
            calls.add(new OtelIncrement(OtelFamily.TOOL_CALLS, ANA, List.of("cli", "mcp", "tool-" + i, "success",
                    "srv"), 1, DAY));
        }
        metrics(calls.toArray(OtelIncrement[]::new));
        reopen();
        metrics(new OtelIncrement(OtelFamily.TOOL_CALLS, ANA, List.of("cli", "mcp", "yet-another", "success", "srv"),
                1, DAY), new OtelIncrement(OtelFamily.TOOL_CALLS, ANA, List.of("cli", "mcp", "tool-0", "success",
                "srv"), 1, DAY));
        Map<String, Long> c = counters();
        assertEquals(limit + 1, c.size(), "the admitted tools and one 'other'");
        assertEquals(51L, c.get("tool_calls/ana@acme.com//cli,mcp,other,success,srv"));
        assertEquals(2L, c.get("tool_calls/ana@acme.com//cli,mcp,tool-0,success,srv"));
        long total = c.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(limit + 52L, total, "nothing is lost by folding");
    }

    @Test
    void aFailedRequestLeavesNothingBehind() {
        metrics(tokens(ANA, "gpt-5", "input", 1));
        // a record whose label list does not fit its family fails inside the transaction, after the first increment
        OtelBatch broken = new OtelBatch("logs", List.of(tokens(ANA, "gpt-5", "input", 1000),
                cost(ANA, "gpt-5", 5_000_000, DAY)),
                List.of(record("e9", "cursor.api.error"), new OtelLogRecord("e10", OtelLogRecord.API_REQUEST, ANA,
                        "cli", "m", "unknown", "u9", "", "", null)));
        assertThrows(RuntimeException.class, () -> store.otel().apply(broken, T0));
        assertEquals(Map.of("tokens/ana@acme.com//desktop,gpt-5,input", 1L), counters());
        assertEquals(List.of(), dailyCost(DAY, DAY), "nor the cost of its day");
        assertEquals(0, logs(T0, record("e9", "cursor.api.error")), "e9 was not kept as seen");
        assertTrue(store.otel().lastReceived().containsKey("logs"));
    }
}

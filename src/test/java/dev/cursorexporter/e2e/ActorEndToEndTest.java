package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.JsonHttp;
import dev.cursorexporter.testing.JsonHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cost by actor (issue 14, item 5) end to end: the exporter syncs a docs-latest simulator whose organisation has
 * cloud agents, automations and service accounts (some without e-mail) over real HTTP; per actor, the counters and
 * the datasource answers equal the simulator's own totals to the cent, and the actors add up to the unchanged
 * total.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActorEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BigDecimal HALF_CENT = new BigDecimal("0.005");
    private static final Set<String> ACTORS = Set.of("human", "cloud_agent", "automation", "service_account");

    private Simulator sim;
    private ExporterHarness exporter;
    private Exposition scrape;
    private SimulatorTotals totals;
    private String range;

    @BeforeAll
    void syncOnce(@TempDir Path dataDir) {
        sim = Simulator.start(SimulatorOptions.builder().users(25).days(45).seed(5).profile(Profile.DOCS_LATEST)
                .live(false).clock(CLOCK).build());
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK);
        scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
        totals = sim.totals();
        range = "from=" + totals.firstDay() + "&to=" + totals.newestDay();
    }

    @AfterAll
    void stop() {
        exporter.close();
        sim.close();
    }

    @Test
    void theSimulatorsOrganisationHasEveryActorAndServiceAccountsWithoutEmail() {
        assertEquals(ACTORS, totals.costCentsByActor().keySet());
        assertTrue(totals.costCentsByUser().keySet().stream().anyMatch(u -> u.startsWith("sa:")),
                totals.costCentsByUser().keySet().toString());
        assertEquals(0, totals.totalCostCents().compareTo(sum(totals.costCentsByActor())), "actors add up");
    }

    @Test
    void countersPerActorEqualTheSimulatorsAndAddUpToTheTotal() {
        Map<String, Double> cost = scrape.sumBy("cursor_usage_cost_usd_total", "actor");
        assertEquals(ACTORS, cost.keySet());
        totals.costCentsByActor().forEach((actor, cents) -> assertEquals(cents.movePointLeft(2).doubleValue(),
                cost.get(actor), 0.005, "cost of " + actor));
        assertEquals(totals.totalCostCents().movePointLeft(2).doubleValue(),
                cost.values().stream().mapToDouble(Double::doubleValue).sum(), 0.005, "total unchanged");
        Map<String, Double> requests = scrape.sumBy("cursor_usage_requests_total", "actor");
        totals.requestsByActor().forEach((actor, n) -> assertEquals(n.doubleValue(), requests.get(actor),
                "requests of " + actor));
        // a service account without e-mail is a user of its own, and only ever a service account
        scrape.samples("cursor_usage_cost_usd_total").stream()
                .filter(s -> s.labels().get("user").startsWith("sa:"))
                .forEach(s -> assertEquals("service_account", s.labels().get("actor"), s.toString()));
        // never a per-run id as a label value
        scrape.samples("cursor_usage_cost_usd_total").forEach(s -> assertTrue(ACTORS.contains(s.labels().get("actor"))));
    }

    @Test
    void datasourceByActorEqualsTheSimulatorsToTheCent() {
        assertActorCosts(rows("/api/v1/totals?" + range + "&by=actor"), "totals by actor");
        assertActorCosts(rows("/api/v1/daily?" + range + "&by=actor"), "daily by actor");
        assertActorCosts(rows("/api/v1/totals?" + range + "&by=team,actor"), "totals by team and actor");
        assertActorCosts(rows("/api/v1/totals?" + range + "&by=user,actor"), "totals by user and actor");
        List<JsonNode> all = rows("/api/v1/totals?" + range);
        assertMoney(totals.totalCostCents(), all.get(0).get("costUsd").decimalValue(), "total unchanged");
        rows("/api/v1/daily?" + range + "&by=actor")
                .forEach(r -> assertTrue(!r.has("activeUsers"), "daily usage has no actor: " + r));
    }

    @Test
    void anActorFilterKeepsThatActorsCost() {
        List<JsonNode> sa = rows("/api/v1/totals?" + range + "&by=user&actor=service_account");
        assertMoney(totals.costCentsByActor().get("service_account"), costSum(sa), "service accounts' cost");
        assertTrue(sa.stream().anyMatch(r -> r.get("user").asText().startsWith("sa:")));
        List<JsonNode> agents = rows("/api/v1/totals?" + range + "&actor=cloud_agent,automation");
        assertMoney(totals.costCentsByActor().get("cloud_agent").add(totals.costCentsByActor().get("automation")),
                costSum(agents), "agents' cost");
        Answer bad = JsonHttp.get(exporter.url("/api/v1/daily?" + range + "&by=actor&actor=robot"));
        assertEquals(400, bad.status());
        assertEquals("actor: unknown value 'robot' (allowed: human, cloud_agent, automation, service_account)",
                bad.body().get("error").asText());
    }

    private void assertActorCosts(List<JsonNode> rows, String what) {
        Map<String, BigDecimal> byActor = new TreeMap<>();
        rows.forEach(r -> byActor.merge(r.get("actor").asText(), r.get("costUsd").decimalValue(), BigDecimal::add));
        assertEquals(ACTORS, byActor.keySet(), what);
        totals.costCentsByActor().forEach((actor, cents) -> assertMoney(cents, byActor.get(actor),
                what + ": " + actor));
    }

    private List<JsonNode> rows(String path) {
        Answer a = JsonHttp.get(exporter.url(path));
        assertEquals(200, a.status(), a.raw());
        List<JsonNode> out = new ArrayList<>();
        a.body().forEach(out::add);
        return out;
    }

    private static BigDecimal costSum(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("costUsd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal sum(Map<String, BigDecimal> values) {
        return values.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void assertMoney(BigDecimal expectedCents, BigDecimal actualUsd, String what) {
        BigDecimal diff = expectedCents.movePointLeft(2).subtract(actualUsd).abs();
        assertTrue(diff.compareTo(HALF_CENT) < 0, what + ": expected " + expectedCents.movePointLeft(2) + " USD, got "
                + actualUsd);
    }
}

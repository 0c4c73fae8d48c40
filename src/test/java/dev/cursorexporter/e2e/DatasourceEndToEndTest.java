package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana datasource endpoints of an exporter that synced the simulator over real HTTP: every figure equals
 * the simulator's own totals (money to the cent), and the simPod endpoints accept exactly what Grafana sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasourceEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BigDecimal HALF_CENT = new BigDecimal("0.005");

    private Simulator sim;
    private ExporterHarness exporter;
    private SimulatorTotals totals;
    private LocalDate firstDay;
    private LocalDate newestDay;
    /** e-mail → {team, location} from the simulator's directory file. */
    private final Map<String, String[]> directory = new HashMap<>();

    @BeforeAll
    void syncOnce(@TempDir Path dataDir) {
        sim = Simulator.start(SimulatorOptions.builder().users(25).days(45).seed(11).live(false).clock(CLOCK)
                .build());
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK);
        exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
        totals = sim.totals();
        firstDay = LocalDate.parse(totals.firstDay());
        newestDay = LocalDate.parse(totals.newestDay());
        for (String line : sim.directoryCsv().strip().lines().skip(1).toList()) {
            String[] cells = line.strip().split(",");
            directory.put(cells[0], new String[] {cells[1], cells[2]});
        }
    }

    @AfterAll
    void stop() {
        exporter.close();
        sim.close();
    }

    // ---- REST for Infinity ----------------------------------------------------------------------------------

    @Test
    void dailyCostPerDayEqualsTheSimulatorsAndEveryDayIsPresent() {
        List<JsonNode> rows = daily("from=" + firstDay + "&to=" + newestDay);
        assertEquals(ChronoUnit.DAYS.between(firstDay, newestDay) + 1, rows.size());
        assertEquals(totals.costCentsByDay().size(), rows.size());
        long requests = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            LocalDate day = firstDay.plusDays(i);
            assertEquals(day.toString(), r.get("date").asText());
            assertEquals(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), r.get("time").asLong());
            assertMoney(totals.costCentsByDay().get(day.toString()), r.get("costUsd").decimalValue(), "cost " + day);
            requests += r.get("requests").asLong();
        }
        assertEquals(totals.totalEvents(), requests);
        assertEquals(totals.tokensByType().get("input"), sum(rows, "inputTokens"));
        assertEquals(totals.tokensByType().get("output"), sum(rows, "outputTokens"));
        assertEquals(totals.tokensByType().get("cache_read"), sum(rows, "cacheReadTokens"));
        assertEquals(totals.tokensByType().get("cache_write"), sum(rows, "cacheWriteTokens"));
    }

    @Test
    void dailyByModelAddsUpToTheSimulatorsCostAndRequestsPerModel() {
        List<JsonNode> rows = daily("from=" + firstDay + "&to=" + newestDay + "&by=model");
        assertMoneyMap(totals.costCentsByModel(), sumDecimal(rows, "model", "costUsd"), "cost by model");
        assertEquals(totals.requestsByModel(), sumLong(rows, "model", "requests", v -> v > 0));
        rows.forEach(r -> assertFalse(r.has("activeUsers"), "daily usage has no model: " + r));
        assertEquals(ChronoUnit.DAYS.between(firstDay, newestDay) + 1,
                rows.stream().filter(r -> r.get("model").asText().equals(rows.get(0).get("model").asText())).count(),
                "each model on every day, zero days included");
    }

    @Test
    void dailyByUserAddsUpToTheSimulatorsPerUserFigures() {
        List<JsonNode> rows = daily("from=" + firstDay + "&to=" + newestDay + "&by=user");
        assertMoneyMap(totals.costCentsByUser(), sumDecimal(rows, "user", "costUsd"), "cost by user");
        assertEquals(totals.requestsByUser(), sumLong(rows, "user", "requests", v -> v > 0));
        assertEquals(nonZero(totals.linesAddedByUser()), sumLong(rows, "user", "linesAdded", v -> v > 0));
        assertEquals(nonZero(totals.aiLinesAddedByUser()), sumLong(rows, "user", "aiLinesAdded", v -> v > 0));
        assertEquals(nonZero(totals.tabsShownByUser()), sumLong(rows, "user", "tabsShown", v -> v > 0));
        assertEquals(nonZero(totals.tabsAcceptedByUser()), sumLong(rows, "user", "tabsAccepted", v -> v > 0));
    }

    @Test
    void activeUsersOfTheNewestDayPerTeam() {
        List<JsonNode> all = daily("from=" + newestDay + "&to=" + newestDay);
        assertEquals(1, all.size());
        assertEquals(totals.activeUsers().get("1d").longValue(), all.get(0).get("activeUsers").asLong());
        Map<String, Long> byTeam = sumLong(daily("from=" + newestDay + "&to=" + newestDay + "&by=team"), "team",
                "activeUsers", v -> v > 0);
        Map<String, Long> expected = new TreeMap<>();
        totals.activeUsersByTeam().forEach((team, windows) -> {
            if (windows.getOrDefault("1d", 0) > 0) {
                expected.put(team, windows.get("1d").longValue());
            }
        });
        assertEquals(expected, byTeam);
    }

    @Test
    void emptyDaysArePresentAsZeroRowsForEveryGroupSeen() {
        LocalDate from = firstDay.minusDays(3);
        List<JsonNode> rows = daily("from=" + from + "&to=" + newestDay + "&by=team,location");
        Map<String, Set<String>> groupsPerDay = new TreeMap<>();
        for (JsonNode r : rows) {
            groupsPerDay.computeIfAbsent(r.get("date").asText(), d -> new TreeSet<>())
                    .add(r.get("team").asText() + "/" + r.get("location").asText());
        }
        assertEquals(ChronoUnit.DAYS.between(from, newestDay) + 1, groupsPerDay.size());
        Set<String> groups = groupsPerDay.values().iterator().next();
        assertTrue(groups.size() > 3, "several team/location groups: " + groups);
        groupsPerDay.forEach((day, g) -> assertEquals(groups, g, day));
        rows.stream().filter(r -> LocalDate.parse(r.get("date").asText()).isBefore(firstDay)).forEach(r -> {
            for (String f : List.of("costUsd", "requests", "inputTokens", "activeUsers", "linesAdded", "tabsShown")) {
                assertEquals(0, r.get(f).decimalValue().signum(), f + " on an empty day: " + r);
            }
        });
    }

    @Test
    void filtersTakeCommaListsAndUnknownValuesGiveEmptyRows() {
        List<String> teams = new ArrayList<>(new TreeSet<>(directory.values().stream().map(v -> v[0]).toList()));
        String two = teams.get(0) + "," + teams.get(1);
        List<JsonNode> rows = daily("from=" + firstDay + "&to=" + newestDay + "&by=team&team=" + two);
        assertEquals(Set.of(teams.get(0), teams.get(1)), new TreeSet<>(rows.stream().map(r -> r.get("team").asText()).toList()));
        BigDecimal expected = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : totals.costCentsByUser().entrySet()) {
            String[] where = directory.get(e.getKey());
            if (where != null && (where[0].equals(teams.get(0)) || where[0].equals(teams.get(1)))) {
                expected = expected.add(e.getValue());
            }
        }
        assertMoney(expected, sumDecimal(rows, "team", "costUsd").values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add), "cost of two teams");

        String model = totals.costCentsByModel().keySet().iterator().next();
        List<JsonNode> oneModel = daily("from=" + firstDay + "&to=" + newestDay + "&model=" + model);
        assertMoney(totals.costCentsByModel().get(model), total(oneModel), "cost of " + model);
        oneModel.forEach(r -> assertFalse(r.has("activeUsers"), "a model filter drops the activity columns"));

        String user = totals.costCentsByUser().keySet().stream().filter(u -> u.contains("@")).findFirst().orElseThrow();
        assertMoney(totals.costCentsByUser().get(user),
                total(daily("from=" + firstDay + "&to=" + newestDay + "&user=" + user.toUpperCase())), "cost of " + user);

        List<JsonNode> nobody = daily("from=" + newestDay + "&to=" + newestDay + "&by=team&team=no-such-team");
        assertEquals(List.of(), nobody);
        List<JsonNode> nobodyUngrouped = daily("from=" + newestDay + "&to=" + newestDay + "&team=no-such-team");
        assertEquals(1, nobodyUngrouped.size(), "ungrouped: still one (zero) row per day");
        assertEquals(0, nobodyUngrouped.get(0).get("requests").asLong());
    }

    @Test
    void datesAsDaysEpochMillisecondsOrIsoInstantsAndTheDefaultRange() {
        String plain = JsonHttp.get(exporter.url("/api/v1/daily?from=2026-11-01&to=2026-11-05")).raw();
        long fromMs = Instant.parse("2026-11-01T13:00:00Z").toEpochMilli();
        long toMs = Instant.parse("2026-11-05T23:59:59.999Z").toEpochMilli();
        assertEquals(plain, JsonHttp.get(exporter.url("/api/v1/daily?from=" + fromMs + "&to=" + toMs)).raw());
        assertEquals(plain, JsonHttp.get(exporter.url(
                "/api/v1/daily?from=2026-11-01T00:00:00Z&to=2026-11-06T01:30:00%2B02:00")).raw());
        List<JsonNode> byDefault = daily("");
        assertEquals(30, byDefault.size(), "the last 30 days");
        assertEquals("2026-11-20", byDefault.get(29).get("date").asText());
        assertEquals("2026-10-22", byDefault.get(0).get("date").asText());
    }

    @Test
    void membersCarrySpendLimitsTeamsAndLastActiveDay() {
        Answer a = JsonHttp.get(exporter.url("/api/v1/members"));
        assertEquals(200, a.status(), a.raw());
        Map<String, BigDecimal> spend = new TreeMap<>();
        Map<String, BigDecimal> onDemand = new TreeMap<>();
        Map<String, Integer> limits = new TreeMap<>();
        long current = 0;
        for (JsonNode m : a.body()) {
            assertEquals(List.of("user", "name", "email", "team", "location", "role", "cycleSpendUsd",
                    "onDemandSpendUsd", "spendLimitUsd", "lastActiveDay", "removed"), fieldNames(m));
            if (m.get("removed").asBoolean()) {
                continue;
            }
            current++;
            String user = m.get("user").asText();
            assertEquals(user, m.get("email").asText());
            assertEquals(directory.get(user)[0], m.get("team").asText());
            assertEquals(directory.get(user)[1], m.get("location").asText());
            spend.put(user, m.get("cycleSpendUsd").decimalValue());
            onDemand.put(user, m.get("onDemandSpendUsd").decimalValue());
            if (!m.get("spendLimitUsd").isNull()) {
                limits.put(user, m.get("spendLimitUsd").intValue());
            }
            if (!m.get("lastActiveDay").isNull()) {
                assertFalse(LocalDate.parse(m.get("lastActiveDay").asText()).isAfter(newestDay));
            }
        }
        assertEquals(totals.membersByRole().values().stream().mapToLong(Long::longValue).sum(), current);
        assertMoneyMap(totals.cycleSpendCentsByUser(), spend, "cycle spend");
        assertMoneyMap(totals.onDemandSpendCentsByUser(), onDemand, "on-demand spend");
        assertEquals(totals.spendLimitDollarsByUser(), limits);

        String team = directory.values().iterator().next()[0];
        Answer oneTeam = JsonHttp.get(exporter.url("/api/v1/members?team=" + team));
        assertTrue(oneTeam.body().size() > 0);
        oneTeam.body().forEach(m -> assertEquals(team, m.get("team").asText()));
    }

    // ---- simPod JSON datasource -----------------------------------------------------------------------------

    /** A {@code /query} body as Grafana 10/11 sends it through the datasource proxy. */
    private String grafanaQuery(LocalDate from, LocalDate to, int maxDataPoints, String filters, String targets) {
        String isoFrom = from.atStartOfDay(ZoneOffset.UTC).toInstant().toString().replace("Z", ".000Z");
        String isoTo = to.atTime(15, 30).toInstant(ZoneOffset.UTC).toString().replace("Z", ".000Z");
        return """
                {"app":"dashboard","requestId":"SQR108","timezone":"browser","panelId":4,
                 "dashboardUID":"cursor-history","publicDashboardAccessToken":"",
                 "range":{"from":"%s","to":"%s","raw":{"from":"now-60d","to":"now"}},
                 "rangeRaw":{"from":"now-60d","to":"now"},
                 "interval":"1h","intervalMs":3600000,"maxDataPoints":%d,
                 "targets":%s,
                 "scopedVars":{"__interval":{"text":"1h","value":"1h"},"__interval_ms":{"text":"3600000","value":3600000}},
                 "filters":%s,
                 "startTime":1763652600000}""".formatted(isoFrom, isoTo, maxDataPoints, targets, filters);
    }

    private static String target(String refId, String target, String payload, boolean hide) {
        return """
                {"refId":"%s","datasource":{"type":"simpod-json-datasource","uid":"cursor-json"},
                 "editorMode":"builder","target":"%s","payload":%s,"hide":%s}""".formatted(refId, target, payload,
                hide);
    }

    @Test
    void simpodQueryAnswersTimeSeriesAndTablesThatAddUpToTheSimulator() {
        String targets = "[" + target("A", "cost", "{\"by\":[\"model\"]}", false) + ","
                + target("B", "requests", "{}", true) + ","
                + target("C", "requests", "{\"by\":\"team\",\"format\":\"table\"}", false) + ","
                + "{\"refId\":\"D\",\"datasource\":{\"type\":\"simpod-json-datasource\",\"uid\":\"cursor-json\"}}]";
        Answer a = JsonHttp.post(exporter.url("/grafana/query"), grafanaQuery(firstDay, newestDay, 1000, "[]", targets));
        assertEquals(200, a.status(), a.raw());
        List<JsonNode> series = new ArrayList<>();
        a.body().forEach(series::add);
        assertEquals(totals.costCentsByModel().size() + 1, series.size(), "one series per model plus one table");
        Map<String, BigDecimal> costByModel = new TreeMap<>();
        for (JsonNode s : series.subList(0, series.size() - 1)) {
            String name = s.get("target").asText();
            assertTrue(name.matches("cost\\{model=\".+\"}"), name);
            String model = name.substring("cost{model=\"".length(), name.length() - 2);
            assertEquals(ChronoUnit.DAYS.between(firstDay, newestDay) + 1, s.get("datapoints").size());
            BigDecimal sum = BigDecimal.ZERO;
            long previous = Long.MIN_VALUE;
            for (JsonNode p : s.get("datapoints")) {
                sum = sum.add(p.get(0).decimalValue());
                assertTrue(p.get(1).asLong() > previous, "ascending time");
                previous = p.get(1).asLong();
            }
            costByModel.put(model, sum);
        }
        assertMoneyMap(totals.costCentsByModel(), costByModel, "simPod cost by model");

        JsonNode table = series.get(series.size() - 1);
        assertEquals("table", table.get("type").asText());
        assertEquals("[{\"text\":\"Time\",\"type\":\"time\"},{\"text\":\"team\",\"type\":\"string\"},"
                + "{\"text\":\"requests\",\"type\":\"number\"}]", table.get("columns").toString());
        long requests = 0;
        for (JsonNode row : table.get("rows")) {
            requests += row.get(2).asLong();
        }
        assertEquals(totals.totalEvents(), requests);
    }

    @Test
    void simpodSumsDaysIntoBucketsWhenMaxDataPointsIsSmallAndCountsActiveUsersDistinctPerBucket() {
        long days = ChronoUnit.DAYS.between(firstDay, newestDay) + 1;
        Answer a = JsonHttp.post(exporter.url("/grafana/query"), grafanaQuery(firstDay, newestDay, 10, "[]",
                "[" + target("A", "cost", "{}", false) + "]"));
        JsonNode points = a.body().get(0).get("datapoints");
        long bucket = (days + 9) / 10;
        assertEquals((days + bucket - 1) / bucket, points.size());
        assertEquals(bucket * 86_400_000L, points.get(1).get(1).asLong() - points.get(0).get(1).asLong());
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode p : points) {
            sum = sum.add(p.get(0).decimalValue());
        }
        assertMoney(totals.totalCostCents(), sum, "total cost over buckets");

        for (Map.Entry<String, Integer> window : Map.of("7d", 7, "28d", 28).entrySet()) {
            Answer w = JsonHttp.post(exporter.url("/grafana/query"), grafanaQuery(
                    newestDay.minusDays(window.getValue() - 1L), newestDay, 1, "[]",
                    "[" + target("A", "active_users", "{}", false) + "]"));
            JsonNode only = w.body().get(0).get("datapoints");
            assertEquals(1, only.size());
            assertEquals(totals.activeUsers().get(window.getKey()).longValue(), only.get(0).get(0).asLong(),
                    "distinct active users in " + window.getKey());
        }
    }

    @Test
    void simpodAdHocFiltersRestrictEveryTarget() {
        String team = directory.values().iterator().next()[0];
        BigDecimal teamCost = BigDecimal.ZERO;
        BigDecimal otherCost = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : totals.costCentsByUser().entrySet()) {
            String[] where = directory.get(e.getKey());
            if (where != null && where[0].equals(team)) {
                teamCost = teamCost.add(e.getValue());
            } else {
                otherCost = otherCost.add(e.getValue());
            }
        }
        String cost = "[" + target("A", "cost", "{}", false) + "]";
        assertMoney(teamCost, seriesTotal(grafanaQuery(firstDay, newestDay, 1000,
                "[{\"key\":\"team\",\"operator\":\"=\",\"value\":\"" + team + "\"}]", cost)), "team " + team);
        assertMoney(otherCost, seriesTotal(grafanaQuery(firstDay, newestDay, 1000,
                "[{\"key\":\"team\",\"operator\":\"!=\",\"value\":\"" + team + "\"}]", cost)), "not team " + team);
        String model = totals.costCentsByModel().keySet().iterator().next();
        String regex = java.util.regex.Pattern.quote(model).replace("\\", "\\\\");
        assertMoney(totals.costCentsByModel().get(model), seriesTotal(grafanaQuery(firstDay, newestDay, 1000,
                "[{\"key\":\"model\",\"operator\":\"=~\",\"value\":\"" + regex + "\"}]", cost)), "model regex");
        // A dashboard-wide model filter does not touch activity, which has no model.
        String active = "[" + target("A", "lines_added", "{}", false) + "]";
        assertEquals(seriesTotal(grafanaQuery(firstDay, newestDay, 1000, "[]", active)),
                seriesTotal(grafanaQuery(firstDay, newestDay, 1000,
                        "[{\"key\":\"model\",\"operator\":\"=\",\"value\":\"" + model + "\"}]", active)));
    }

    @Test
    void simpodDiscoveryEndpointsListTargetsPayloadsVariablesAndTags() {
        assertEquals(200, JsonHttp.get(exporter.url("/grafana")).status());
        assertEquals(200, JsonHttp.get(exporter.url("/grafana/")).status());
        Answer metrics = JsonHttp.post(exporter.url("/grafana/metrics"), "{}");
        assertEquals(200, metrics.status(), metrics.raw());
        List<String> values = new ArrayList<>();
        metrics.body().forEach(m -> values.add(m.get("value").asText()));
        assertEquals(List.of("cost", "requests", "tokens", "input_tokens", "output_tokens", "cache_read_tokens",
                "cache_write_tokens", "active_users", "lines_added", "ai_lines_added", "tabs_shown", "tabs_accepted"),
                values);
        JsonNode cost = metrics.body().get(0);
        assertEquals(List.of("by", "user", "team", "location", "model", "format"), names(cost.get("payloads")));
        assertEquals(List.of("by", "user", "team", "location", "format"),
                names(metrics.body().get(values.indexOf("active_users")).get("payloads")), "activity has no model");
        assertEquals("multi-select", cost.get("payloads").get(0).get("type").asText());
        assertEquals(4, cost.get("payloads").get(0).get("options").size());
        assertEquals(metrics.raw(), JsonHttp.post(exporter.url("/grafana/search"),
                "{\"metric\":\"cost\",\"payload\":{\"by\":[\"team\"]}}").raw(), "the pre-0.6 name");

        Set<String> teams = new TreeSet<>(directory.values().stream().map(v -> v[0]).toList());
        teams.add("unassigned"); // removed members' events carry no e-mail, so no directory entry
        assertTrue(totals.costCentsByUser().containsKey("unknown"));
        Answer options = JsonHttp.post(exporter.url("/grafana/metric-payload-options"),
                "{\"metric\":\"cost\",\"payload\":{\"by\":[\"team\"]},\"name\":\"team\"}");
        assertEquals(teams, new TreeSet<>(texts(options.body(), "value")));
        Answer variable = JsonHttp.post(exporter.url("/grafana/variable"),
                "{\"payload\":{\"target\":\"model\"},\"range\":{\"from\":\"2026-10-01T00:00:00.000Z\","
                        + "\"to\":\"2026-11-20T00:00:00.000Z\",\"raw\":{\"from\":\"now-50d\",\"to\":\"now\"}}}");
        assertEquals(totals.requestsByModel().keySet(), new TreeSet<>(texts(variable.body(), "__value")));
        assertEquals(texts(variable.body(), "__value"), texts(variable.body(), "__text"));
        Answer keys = JsonHttp.post(exporter.url("/grafana/tag-keys"), "{}");
        assertEquals(List.of("user", "team", "location", "model"), texts(keys.body(), "text"));
        keys.body().forEach(k -> assertEquals("string", k.get("type").asText()));
        Answer users = JsonHttp.post(exporter.url("/grafana/tag-values"), "{\"key\":\"user\"}");
        assertTrue(new TreeSet<>(texts(users.body(), "text")).containsAll(totals.costCentsByUser().keySet()));
        assertEquals(200, JsonHttp.post(exporter.url("//grafana//query"), grafanaQuery(newestDay, newestDay, 100,
                "[]", "[]")).status(), "double slashes from the plugin's URL joining");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    @Test
    void totalsOverTheWholeHistoryEqualTheSimulatorsTotals() {
        String range = "from=" + firstDay + "&to=" + newestDay;
        List<JsonNode> one = totals(range);
        assertEquals(1, one.size(), one.toString());
        JsonNode t = one.get(0);
        assertMoney(totals.totalCostCents(), t.get("costUsd").decimalValue(), "total cost");
        assertEquals(totals.totalEvents(), t.get("requests").asLong());
        assertEquals(ChronoUnit.DAYS.between(firstDay, newestDay) + 1, t.get("days").asLong());
        assertEquals(t.get("days").asLong(), t.get("coveredDays").asLong());
        assertEquals(totals.tokensByType().get("cache_read"), t.get("cacheReadTokens").asLong());
        Map<String, Long> features = new TreeMap<>();
        totals.featureRequestsByUser().values().forEach(m -> m.forEach((k, v) -> features.merge(k, v, Long::sum)));
        assertEquals(features.get("chat"), t.get("chatRequests").asLong(), features.toString());
        assertEquals(features.get("agent"), t.get("agentRequests").asLong(), features.toString());
        assertEquals(features.get("bugbot"), t.get("bugbotUsages").asLong(), features.toString());
        long lines = totals.linesAddedByUser().values().stream().mapToLong(Long::longValue).sum();
        long aiLines = totals.aiLinesAddedByUser().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(lines, t.get("linesAdded").asLong());
        assertEquals(BigDecimal.valueOf(aiLines).divide(BigDecimal.valueOf(lines), 4, java.math.RoundingMode.HALF_EVEN),
                t.get("aiLinesShare").decimalValue());
        // Grafana's "All" (the variables' allValue) filters nothing.
        assertEquals(one, totals(range + "&team=.*&location=.*&user=.*"));

        assertMoneyMap(totals.costCentsByModel(), sumDecimal(totals(range + "&by=model"), "model", "costUsd"),
                "totals by model");
        assertEquals(totals.requestsByBilling().entrySet().stream().filter(e -> e.getValue() > 0)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)),
                sumLong(totals(range + "&by=billing"), "billing", "requests", v -> v > 0));
        assertEquals(sumLong(daily(range + "&by=billing"), "billing", "requests", v -> v > 0),
                sumLong(totals(range + "&by=billing"), "billing", "requests", v -> v > 0), "totals = Σ daily");
        totals(range + "&by=billing").forEach(r -> assertFalse(r.has("activeUsers"), "billing is usage-only: " + r));
    }

    @Test
    void daysTheStoreNeverCoveredAreNullAndNoRowIsAfterToday() {
        // The exporter backfilled 60 complete days plus today (the simulator has 45: the oldest are covered, empty).
        LocalDate firstCovered = newestDay.minusDays(60);
        LocalDate from = firstCovered.minusDays(3);
        List<JsonNode> rows = daily("from=" + from + "&to=" + newestDay.plusDays(5));
        assertEquals(ChronoUnit.DAYS.between(from, newestDay) + 1, rows.size(), "ends today");
        assertEquals(newestDay.toString(), rows.get(rows.size() - 1).get("date").asText());
        for (JsonNode r : rows) {
            boolean before = LocalDate.parse(r.get("date").asText()).isBefore(firstCovered);
            assertEquals(!before, r.get("covered").asBoolean(), r.toString());
            for (String f : List.of("costUsd", "requests", "activeUsers", "linesAdded")) {
                assertEquals(before, r.get(f).isNull(), f + ": " + r);
            }
        }
        assertEquals(List.of(), daily("from=" + newestDay.plusDays(1)));
        JsonNode t = totals("from=" + from + "&to=" + newestDay.plusDays(5)).get(0);
        assertEquals(rows.size(), t.get("days").asLong());
        assertEquals(rows.size() - 3, t.get("coveredDays").asLong());
    }

    @Test
    void sharesAreNullBelowTheirThresholdsAndNeverNaN() {
        for (JsonNode r : daily("from=" + firstDay + "&to=" + newestDay + "&by=user")) {
            long lines = r.get("linesAdded").asLong();
            long shown = r.get("tabsShown").asLong();
            assertEquals(lines < 100, r.get("aiLinesShare").isNull(), r.toString());
            assertEquals(shown < 50, r.get("tabAcceptance").isNull(), r.toString());
            if (!r.get("tabAcceptance").isNull()) {
                double v = r.get("tabAcceptance").asDouble();
                assertTrue(v >= 0 && v <= 1, r.toString());
            }
        }
    }

    private List<JsonNode> totals(String query) {
        Answer a = JsonHttp.get(exporter.url("/api/v1/totals?" + query));
        assertEquals(200, a.status(), a.raw());
        List<JsonNode> rows = new ArrayList<>();
        a.body().forEach(rows::add);
        return rows;
    }

    private List<JsonNode> daily(String query) {
        Answer a = JsonHttp.get(exporter.url("/api/v1/daily?" + query));
        assertEquals(200, a.status(), a.raw());
        List<JsonNode> rows = new ArrayList<>();
        a.body().forEach(rows::add);
        return rows;
    }

    private BigDecimal seriesTotal(String body) {
        Answer a = JsonHttp.post(exporter.url("/grafana/query"), body);
        assertEquals(200, a.status(), a.raw());
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode s : a.body()) {
            for (JsonNode p : s.get("datapoints")) {
                sum = sum.add(p.get(0).decimalValue());
            }
        }
        return sum;
    }

    private static List<String> names(JsonNode payloads) {
        return texts(payloads, "name");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static BigDecimal total(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("costUsd").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static long sum(List<JsonNode> rows, String field) {
        return rows.stream().mapToLong(r -> r.get(field).asLong()).sum();
    }

    private static Map<String, BigDecimal> sumDecimal(List<JsonNode> rows, String key, String field) {
        Map<String, BigDecimal> out = new TreeMap<>();
        rows.forEach(r -> out.merge(r.get(key).asText(), r.get(field).decimalValue(), BigDecimal::add));
        return out;
    }

    private static Map<String, Long> sumLong(List<JsonNode> rows, String key, String field, Predicate<Long> keep) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(r -> out.merge(r.get(key).asText(), r.get(field).asLong(), Long::sum));
        out.values().removeIf(keep.negate());
        return out;
    }

    private static <N extends Number> Map<String, Long> nonZero(Map<String, N> in) {
        Map<String, Long> out = new TreeMap<>();
        in.forEach((k, v) -> {
            if (v.longValue() != 0) {
                out.put(k, v.longValue());
            }
        });
        return out;
    }

    private static void assertMoney(BigDecimal expectedCents, BigDecimal actualUsd, String what) {
        BigDecimal expectedUsd = expectedCents.movePointLeft(2);
        assertTrue(expectedUsd.subtract(actualUsd).abs().compareTo(HALF_CENT) < 0,
                what + ": expected " + expectedUsd + " USD, got " + actualUsd);
    }

    private static void assertMoneyMap(Map<String, BigDecimal> expectedCents, Map<String, BigDecimal> actualUsd,
                                       String what) {
        Map<String, BigDecimal> nonZeroActual = new TreeMap<>(actualUsd);
        nonZeroActual.values().removeIf(v -> v.signum() == 0);
        Map<String, BigDecimal> nonZeroExpected = new TreeMap<>(expectedCents);
        nonZeroExpected.values().removeIf(v -> v.signum() == 0);
        assertEquals(nonZeroExpected.keySet(), nonZeroActual.keySet(), what + ": keys");
        nonZeroExpected.forEach((k, v) -> assertMoney(v, nonZeroActual.get(k), what + " [" + k + "]"));
    }
}

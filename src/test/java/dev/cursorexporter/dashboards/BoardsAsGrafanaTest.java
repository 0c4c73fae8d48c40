package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.OtelTruth;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorFacts;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every panel of every shipped board evaluated the way Grafana would, right after the first sync, against the
 * exporter synced from the simulator and a real Prometheus scraping it, and compared with the simulator's own
 * data (computed from its generated model, not from the exporter) for the board's default time range.
 *
 * <p>Infinity targets: the URL with {@code ${__timeFrom}}/{@code ${__timeTo}} of the board's default range and the
 * variables at "All" ({@code .*}); every row of the answer is matched to the group {@link BoardOracle} adds up
 * from {@link SimulatorFacts} for the same grouping, and every number column the panel selects is compared: cost
 * within a cent, counts exactly, shares within 0.5 % (null where the simulator's denominator is below the
 * threshold); every group the simulator has figures for must be on the panel and every day of its history in
 * range covered. The panels' transformations (sort, grouping to a matrix, organise) only rearrange those rows.
 * The exporter's OTLP receiver gets the simulator's OpenTelemetry Export of the week before (as the demo's does), so
 * the panels comparing the OTel estimate with the settled cost are checked against what it pushed and billed.
 * Prometheus targets: instant queries with {@code $__range}, {@code $__interval} and {@code $__rate_interval}
 * substituted, the window gauges, cycle spend, members and the estimate-vs-settled gauges compared with the
 * simulator ({@link SimulatorTotals}); time series
 * targets as range queries with the step Grafana computes from the panel's max data points and the provisioned
 * 60 s scrape interval, aligned down to the step, a step boundary after the first scrape; every point finite,
 * nothing empty that the panel's description does not say may be empty. The live board reads the simulator's
 * OpenTelemetry Export, pushed to the exporter's receiver: the week before Prometheus starts, the last hour
 * while it scrapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardsAsGrafanaTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal BUDGET = new BigDecimal("1000");
    private static final Pattern RELATIVE = Pattern.compile("now-(\\d+)([dh])");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(team|location|user|model)(?::[a-z]+)?}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Grafana's max data points is the panel's width in pixels when the panel does not set it. */
    private static final long DEFAULT_MAX_DATA_POINTS = 1000;
    private static final List<String> DIMENSIONS = List.of("user", "team", "location", "model", "billing",
            "actor");
    private static final Set<String> FILTERS = Set.copyOf(DIMENSIONS);
    private static final String OTLP_TOKEN = "boards_otlp_token_7f1e";
    /** The look-back of ExporterHarness.config: days up to today - 3 are stored for good (settled). */
    private static final int LOOKBACK_DAYS = 2;
    private static final String RATIO_BY_TEAM = "avg by (team) (cursor_otel_cost_estimate_ratio)";
    private static final String DIFFERENCE_BY_TEAM = "avg by (team) (cursor_otel_cost_estimate_difference_usd)";

    private Simulator sim;
    private OtelFeed feed;
    private ExporterHarness exporter;
    private PrometheusServer prometheus;
    private SimulatorTotals totals;
    private BoardOracle oracle;
    /** Figures the Infinity checks compared with the simulator (a harness that compares nothing passes). */
    private long compared;
    /** Prometheus series compared one by one with the simulator. */
    private long seriesCompared;
    /** By then Prometheus holds samples (it has scraped three times). */
    private Instant scrapedSince;
    private LocalDate today;
    private LocalDate firstDay;
    /** What the simulator's OpenTelemetry Export pushed to the exporter's receiver. */
    private OtelTruth pushed;

    @BeforeAll
    void syncOnce(@TempDir Path dir) throws IOException {
        sim = Simulator.start(SimulatorOptions.builder().live(false).rateLimits(false).clock(CLOCK).build());
        // a default budget for every team with members, so the budget panels have something to show; the OTLP
        // receiver on, so the live board has the simulator's OpenTelemetry Export to show
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dir.resolve("data"), 90, UserLabelMode.EMAIL)
                .toBuilder().budgets(new Budgets(Optional.of(BUDGET), Map.of()))
                .otlp(new OtlpConfig(0, Optional.of(new Secret(OTLP_TOKEN)), 4L << 20)).build(), CLOCK);
        exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
        totals = sim.totals();
        oracle = new BoardOracle(sim.facts());
        today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        firstDay = LocalDate.parse(totals.firstDay());
        // Cursor's OpenTelemetry Export of the week before (from the start of the UTC day 7 days ago, as the demo
        // pushes it at start) before Prometheus starts, for the panels comparing the OTel estimate with the settled
        // cost; its last hour while Prometheus scrapes, so the live board's rates have something to show
        feed = new OtelFeed(sim, exporter.otlpPort(), OTLP_TOKEN,
                today.minusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                NOW.minus(Duration.ofHours(1)).toEpochMilli(), NOW.toEpochMilli());
        feed.first();
        Http.await(Duration.ofSeconds(30), "the OTel series and the reconciliation gauges in /metrics", () -> {
            Exposition scrape = exporter.scrape();
            return !scrape.samples("cursor_otel_tokens_total").isEmpty()
                    && !scrape.samples("cursor_otel_cost_estimate_ratio").isEmpty();
        });
        prometheus = PrometheusServer.scraping(exporter.url("").replace("http://", ""), dir);
        feed.second();
        pushed = feed.accepted();
        scrapedSince = Instant.now();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        exporter.close();
        sim.close();
    }

    @Test
    void everyPanelShowsWhatTheSimulatorAddsUpTo() {
        List<String> findings = new ArrayList<>();
        int infinity = 0;
        int promql = 0;
        for (Dashboards.Board board : Dashboards.all()) {
            Instant from = defaultFrom(board);
            for (JsonNode panel : board.panels()) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = board + " / " + panel.path("title").asText();
                for (JsonNode target : panel.path("targets")) {
                    if (target.has("url")) {
                        infinity++;
                        findings.addAll(checkInfinity(where, target, from));
                    } else if (target.has("expr")) {
                        promql++;
                        findings.addAll(checkPromQl(where, target.path("expr").asText(), from,
                                panel.path("description").asText(), target.path("range").asBoolean(false)
                                        ? panel.path("maxDataPoints").asLong(DEFAULT_MAX_DATA_POINTS) : 0));
                    } else if (!target.has("target")) { // simPod targets: covered by the datasource tests
                        findings.add(where + ": a target the harness cannot evaluate: " + target);
                    }
                }
            }
        }
        assertTrue(infinity >= 40 && promql >= 40, "evaluated " + infinity + " Infinity and " + promql + " PromQL");
        assertTrue(compared > 5_000, "compared " + compared + " figures with the simulator");
        assertTrue(seriesCompared > 150, "compared " + seriesCompared + " Prometheus series with the simulator");
        assertEquals(List.of(), findings);
    }

    /** The harness can fail: a stat that reads the wrong column, or cost from counter history, is reported. */
    @Test
    void aWrongPanelIsReported() {
        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        // A "Cost in range" stat that asks for one day instead of the board's range (from=${__timeTo}).
        JsonNode wrongRange = JSON.createObjectNode().put("url", "/api/v1/totals?from=${__timeTo}&to=${__timeTo}")
                .set("columns", JSON.createArrayNode().add(JSON.createObjectNode().put("selector", "costUsd")
                        .put("text", "Cost").put("type", "number")));
        List<String> oneDay = checkInfinity("test / Cost in range", wrongRange, weekAgo);
        assertTrue(oneDay.stream().anyMatch(f -> f.contains("the simulator says")), oneDay.toString());
        List<String> counterHistory = checkPromQl("test / Cost yesterday",
                "sum(increase(cursor_usage_cost_usd_total{job=~\"$job\"}[$__range]))", weekAgo, "", 0);
        assertTrue(counterHistory.stream().anyMatch(f -> f.contains("counter history")), counterHistory.toString());
        // A per-member table that silently loses members (a stray matcher) shows fewer series than there are.
        List<String> lostMembers = checkPromQl("test / Per-member spend",
                "sum by (user) (cursor_cycle_spend_usd{job=~\"$job\",user!~\"[a-m].*\"})", weekAgo, "", 0);
        assertTrue(lostMembers.stream().anyMatch(f -> f.contains("series, the simulator has")), lostMembers.toString());
        List<String> wrongWindow = checkPromQl("test / Cost yesterday",
                "sum(cursor_cost_window_usd{job=~\"$job\",window=\"7d\"})", weekAgo, "", 0);
        assertEquals(List.of(), wrongWindow, "the 7-day window agrees with the simulator's 7 days");
    }

    private List<String> checkInfinity(String where, JsonNode target, Instant from) {
        List<String> out = new ArrayList<>();
        String url = target.path("url").asText().replace("${__timeFrom}", String.valueOf(from.toEpochMilli()))
                .replace("${__timeTo}", String.valueOf(NOW.toEpochMilli()));
        url = VARIABLE.matcher(url).replaceAll(".*");
        if (url.contains("$")) {
            return List.of(where + ": unsubstituted variable in " + url);
        }
        JsonNode rows;
        try {
            HttpResponse<String> r = Http.get(exporter.url(url));
            if (r.statusCode() != 200) {
                return List.of(where + ": " + r.statusCode() + " " + r.body());
            }
            rows = JSON.readTree(r.body());
        } catch (IOException e) {
            return List.of(where + ": " + e);
        }
        if (!rows.isArray() || rows.isEmpty()) {
            return List.of(where + ": no rows from " + url);
        }
        Map<String, String> params = parameters(url);
        if (params.entrySet().stream().anyMatch(e -> FILTERS.contains(e.getKey()) && !e.getValue().equals(".*"))) {
            return List.of(where + ": a default view with a filter the harness cannot add up: " + url);
        }
        boolean reconciliation = url.startsWith("/api/v1/reconciliation");
        boolean daily = url.startsWith("/api/v1/daily") || reconciliation;
        List<String> by = reconciliation ? List.of("team") : params.containsKey("by") ? DIMENSIONS.stream()
                .filter(List.of(params.get("by").split(","))::contains).toList() : List.of();
        LocalDate fromDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate start = fromDay.isBefore(firstDay) ? firstDay : fromDay;
        Map<List<String>, Map<String, BigDecimal>> expected = reconciliation
                ? oracle.reconciliation(pushed.dailyCostUsd(), start, today) : oracle.answer(daily, by, start, today);
        Set<String> shownDays = new TreeSet<>();
        Set<List<String>> seen = new HashSet<>();
        for (JsonNode row : rows) {
            List<String> key = new ArrayList<>();
            if (daily) {
                LocalDate day = LocalDate.parse(row.path("date").asText());
                if (day.isBefore(firstDay)) {
                    continue; // before the simulator's history: covered or not, nothing to compare
                }
                if (!reconciliation && !row.path("covered").asBoolean(false)) {
                    out.add(where + ": a day of the simulator's history is not covered: " + row);
                }
                if (reconciliation && !row.path("state").asText().equals(expectedState(day))) {
                    out.add(where + ": state " + row.path("state") + ", the simulator's days say "
                            + expectedState(day) + " in " + row);
                }
                key.add(day.toString());
            } else if (row.path("coveredDays").asLong() == 0) {
                out.add(where + ": no covered day in " + row);
            }
            by.forEach(d -> key.add(row.path(d).asText()));
            seen.add(key);
            Map<String, BigDecimal> want = expected.getOrDefault(key, Map.of());
            for (JsonNode col : target.path("columns")) {
                String selector = col.path("selector").asText();
                String field = selector;
                if (!"number".equals(col.path("type").asText())) {
                    if (!row.has(field)) {
                        out.add(where + ": column " + field + " missing in " + row);
                    }
                    continue;
                }
                if (daily) {
                    shownDays.add(key.get(0));
                }
                out.addAll(compare(where, field, row, want));
            }
        }
        // A group the simulator has figures for must be on the panel (the API may leave out all-zero groups).
        for (Map.Entry<List<String>, Map<String, BigDecimal>> e : expected.entrySet()) {
            boolean shows = target.path("columns").findValuesAsText("selector").stream()
                    .map(e.getValue()::get).anyMatch(v -> v != null && v.signum() != 0);
            if (shows && !seen.contains(e.getKey())) {
                out.add(where + ": no row for " + e.getKey() + ", the simulator has " + e.getValue());
            }
        }
        long days = ChronoUnit.DAYS.between(start, today) + 1;
        if (daily && shownDays.size() != days) {
            out.add(where + ": " + shownDays.size() + " days shown, the range has " + days
                    + " days of the simulator's history");
        }
        return out;
    }

    /** One figure of one row against the simulator: cost within a cent, counts exact, shares within 0.5 %. */
    private List<String> compare(String where, String field, JsonNode row, Map<String, BigDecimal> want) {
        JsonNode got = row.path(field);
        if (got.isMissingNode()) {
            return List.of(where + ": column " + field + " missing in " + row);
        }
        if (!want.containsKey(field) && !want.isEmpty()) {
            return List.of(where + ": " + field + " is not a figure the simulator can check (" + row + ")");
        }
        // A group the simulator has no row for has zero figures, and no share.
        BigDecimal expected = !want.isEmpty() ? want.get(field)
                : isShare(field) || field.equals("costPerMillionTokens") ? null : BigDecimal.ZERO;
        if (got.isNull() || expected == null) {
            return got.isNull() && expected == null ? List.of()
                    : List.of(where + ": " + field + " is " + got + ", the simulator says " + expected + " in " + row);
        }
        compared++;
        if (isCount(field) && !got.isIntegralNumber()) {
            return List.of(where + ": count " + field + " is not an integer: " + row);
        }
        if (isShare(field) && (got.asDouble() < 0 || got.asDouble() > 1)) {
            return List.of(where + ": share " + field + " outside [0, 1]: " + row);
        }
        BigDecimal tolerance = isMoney(field) ? CENT
                : isCount(field) ? BigDecimal.ZERO : expected.abs().multiply(new BigDecimal("0.005")).max(
                new BigDecimal("0.0001"));
        if (got.decimalValue().subtract(expected).abs().compareTo(tolerance) > 0) {
            return List.of(where + ": " + field + " is " + got + ", the simulator says " + expected + " in " + row);
        }
        return List.of();
    }

    private static Map<String, String> parameters(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * @param description the panel's; a panel whose description says when it is empty (no budget configured, no
     *                    calls in the range) may be empty
     */
    /**
     * @param maxDataPoints for a range (time series) target the panel's maximum data points, 0 for an instant one
     */
    private List<String> checkPromQl(String where, String expr, Instant from, String description,
                                     long maxDataPoints) {
        if (expr.matches("(?s).*cursor_(usage_[a-z_]+|lines_added|tab_completions|feature_requests)_total.*")) {
            return List.of(where + ": a range figure from counter history (increase over a lifetime counter "
                    + "knows only what Prometheus scraped): " + expr);
        }
        long rangeS = Duration.between(from, NOW).getSeconds();
        long step = maxDataPoints > 0 ? grafanaStep(rangeS, maxDataPoints) : 60;
        Map<String, String> v = new LinkedHashMap<>();
        // Grafana's $__rate_interval: max($__interval + scrape interval, 4 x scrape interval), with the scrape
        // interval the provisioned datasource declares (timeInterval 60 s).
        v.put("__rate_interval", Math.max(step + 60, 240) + "s");
        v.put("__interval", step + "s");
        v.put("__range", rangeS + "s");
        v.put("job", "cursor-exporter");
        v.put("instance", ".+");
        for (String name : List.of("team", "location", "model", "user", "surface")) {
            v.put(name, ".*");
        }
        String q = PromQl.substitute(expr, v);
        if (q.contains("$")) {
            return List.of(where + ": a variable the harness does not know in " + q);
        }
        // a panel the simulator has figures for must show them, whatever its description allows
        boolean mayBeEmpty = (description.contains("empty") || expr.contains("cursor_team_budget_usd")
                && description.contains("budget"))
                && !List.of(RATIO_BY_TEAM, DIFFERENCE_BY_TEAM).contains(shape(expr));
        if (maxDataPoints > 0) {
            return checkRange(where, q, rangeS, step, mayBeEmpty);
        }
        JsonNode result = prometheus.query(q);
        List<String> out = new ArrayList<>();
        if (result.isEmpty()) {
            return mayBeEmpty ? List.of() : List.of(where + ": no data for " + q);
        }
        double sum = 0;
        for (JsonNode series : result) {
            String value = series.path("value").get(1).asText();
            if (value.equals("NaN") || value.contains("Inf")) {
                out.add(where + ": " + value + " from " + q);
            }
            sum += Double.parseDouble(value);
        }
        BigDecimal expected = expectedFor(expr);
        if (expected != null && result.size() == 1
                && expected.subtract(BigDecimal.valueOf(sum)).abs().compareTo(CENT) > 0) {
            out.add(where + ": " + sum + ", the simulator says " + expected + " (" + q + ")");
        }
        out.addAll(checkSeries(where, expr, result));
        return out;
    }

    /**
     * Present-state answers with one series per member, team or window, compared series by series with the
     * simulator: cycle spend, on-demand spend, limit and headroom per member; cycle spend per team; active users per
     * window and per team. The expression is read with its label matchers removed (all at "All" here).
     */
    private List<String> checkSeries(String where, String expr, JsonNode result) {
        String shape = shape(expr);
        Map<String, BigDecimal> byUser = null;
        Map<String, BigDecimal> byTeam = null;
        Map<String, BigDecimal> byWindow = null;
        String userGroup = "(?:topk\\(\\d+, )?sum by \\(user(?:, team)?(?:, location)?\\) \\(";
        if (shape.matches(userGroup + "cursor_cycle_spend_usd\\)\\)?")) {
            byUser = dollars(totals.cycleSpendCentsByUser(), HUNDRED);
        } else if (shape.matches(userGroup + "cursor_cycle_on_demand_spend_usd\\)")) {
            byUser = dollars(totals.onDemandSpendCentsByUser(), HUNDRED);
        } else if (shape.matches(userGroup + "cursor_user_spend_limit_usd\\)")) {
            byUser = new TreeMap<>();
            for (Map.Entry<String, Integer> e : totals.spendLimitDollarsByUser().entrySet()) {
                byUser.put(e.getKey(), BigDecimal.valueOf(e.getValue()));
            }
        } else if (shape.matches(userGroup + "cursor_user_spend_limit_usd\\) - " + userGroup.substring(
                "(?:topk\\(\\d+, )?".length()) + "cursor_cycle_on_demand_spend_usd\\)")) {
            byUser = new TreeMap<>();
            for (Map.Entry<String, Integer> e : totals.spendLimitDollarsByUser().entrySet()) {
                byUser.put(e.getKey(), BigDecimal.valueOf(e.getValue()).subtract(totals.onDemandSpendCentsByUser()
                        .getOrDefault(e.getKey(), BigDecimal.ZERO).divide(HUNDRED)));
            }
        } else if (shape.matches("(?:topk\\(\\d+, )?sum by \\(team\\) \\(cursor_cycle_spend_usd\\)\\)?")) {
            byTeam = dollars(totals.cycleSpendCentsByTeam(), HUNDRED);
        } else if (shape.equals("sum by (window) (cursor_active_users)")) {
            byWindow = new TreeMap<>();
            for (Map.Entry<String, Integer> e : totals.activeUsers().entrySet()) {
                byWindow.put(e.getKey(), BigDecimal.valueOf(e.getValue()));
            }
        } else if (shape.equals(RATIO_BY_TEAM) || shape.equals(DIFFERENCE_BY_TEAM)) {
            byTeam = reconciliationByTeam(shape.equals(RATIO_BY_TEAM));
        } else if (shape.equals("sum by (team) (cursor_active_users)") && expr.contains("window=\"28d\"")) {
            byTeam = new TreeMap<>();
            for (Map.Entry<String, Map<String, Integer>> e : totals.activeUsersByTeam().entrySet()) {
                byTeam.put(e.getKey(), BigDecimal.valueOf(e.getValue().getOrDefault("28d", 0)));
            }
        } else {
            return List.of();
        }
        String label = byUser != null ? "user" : byTeam != null ? "team" : "window";
        Map<String, BigDecimal> want = byUser != null ? byUser : byTeam != null ? byTeam : byWindow;
        List<String> out = new ArrayList<>();
        for (JsonNode series : result) {
            String key = series.path("metric").path(label).asText();
            BigDecimal got = new BigDecimal(series.path("value").get(1).asText());
            BigDecimal expected = want.get(key);
            if (expected == null || expected.subtract(got).abs().compareTo(CENT) > 0) {
                out.add(where + ": " + label + " " + key + " shows " + got + ", the simulator says " + expected);
            }
            seriesCompared++;
        }
        java.util.regex.Matcher topk = Pattern.compile("^topk\\((\\d+),").matcher(shape);
        int expectedSeries = topk.find() ? Math.min(Integer.parseInt(topk.group(1)), want.size()) : want.size();
        if (result.size() != expectedSeries) {
            out.add(where + ": " + result.size() + " series, the simulator has " + expectedSeries + " " + label + "s");
        }
        if (topk.reset().find() && !result.isEmpty()) {
            // every value above the smallest one shown must be among those shown
            BigDecimal smallestShown = null;
            for (JsonNode series : result) {
                BigDecimal v = new BigDecimal(series.path("value").get(1).asText());
                smallestShown = smallestShown == null || v.compareTo(smallestShown) < 0 ? v : smallestShown;
            }
            BigDecimal floor = smallestShown.add(CENT);
            long above = want.values().stream().filter(v -> v.compareTo(floor) > 0).count();
            if (above > result.size() - 1) {
                out.add(where + ": the top " + expectedSeries + " leave out larger " + label + "s");
            }
        }
        return out;
    }

    /** The expression with its label matchers removed (all at "All" here) and its spaces normalised. */
    private static String shape(String expr) {
        return expr.replaceAll("\\{[^}]*}", "").replaceAll("\\s+", " ").trim();
    }

    private static Map<String, BigDecimal> dollars(Map<String, BigDecimal> cents, BigDecimal divisor) {
        Map<String, BigDecimal> out = new TreeMap<>();
        cents.forEach((k, v) -> out.put(k, v.divide(divisor)));
        return out;
    }

    /**
     * A time series panel's query as Grafana sends it: over the board's default range ending now, start and end
     * aligned to the step Grafana picks for it. Every point of every series must be a finite number.
     */
    private List<String> checkRange(String where, String q, long rangeS, long step, boolean mayBeEmpty) {
        if (step > 60) {
            return List.of(where + ": a " + step + " s step over the default range: Grafana draws no point until "
                    + "a step boundary passes after the first scrape (set the panel's maxDataPoints)");
        }
        awaitStepAfterFirstScrape(step);
        long end = Instant.now().getEpochSecond();
        JsonNode result = prometheus.queryRange(q, end - rangeS, end, step);
        if (result.isEmpty()) {
            return mayBeEmpty ? List.of() : List.of(where + ": no data over the range for " + q);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode series : result) {
            for (JsonNode point : series.path("values")) {
                String value = point.get(1).asText();
                if (value.equals("NaN") || value.contains("Inf")) {
                    out.add(where + ": " + value + " at " + point.get(0).asText() + " from " + q);
                }
            }
        }
        return out;
    }

    /**
     * Grafana aligns start and end down to the step, so a time series panel shows its first point once a step
     * boundary has passed after Prometheus' first scrape: "a minute after the first sync" for a 60 s step.
     */
    private void awaitStepAfterFirstScrape(long step) {
        long ready = (Math.floorDiv(scrapedSince.getEpochSecond(), step) + 1) * step + 1;
        long waitMs = ready * 1000 - System.currentTimeMillis();
        if (waitMs > 0) {
            assertTrue(waitMs <= step * 1000 + 1000, "waiting " + waitMs + " ms for a step boundary");
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The step Grafana's Prometheus datasource sends: range / max data points, rounded as Grafana's
     * {@code roundInterval} does, at least the datasource's {@code timeInterval} (60 s, the provisioned scrape
     * interval).
     */
    static long grafanaStep(long rangeS, long maxDataPoints) {
        long rawMs = rangeS * 1000 / maxDataPoints;
        long[][] table = {{1_500, 1_000}, {3_500, 2_000}, {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000},
                {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000}, {210_000, 120_000}, {450_000, 300_000},
                {750_000, 600_000}, {1_050_000, 900_000}, {1_500_000, 1_200_000}, {2_700_000, 1_800_000},
                {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
                {24_300_000, 21_600_000}, {54_000_000, 43_200_000}, {129_600_000, 86_400_000}};
        long stepMs = 604_800_000;
        for (long[] row : table) {
            if (rawMs < row[0]) {
                stepMs = row[1];
                break;
            }
        }
        return Math.max(stepMs / 1000, 60);
    }

    /** What a single-series expression of a present-state or window gauge must show, from the simulator. */
    private BigDecimal expectedFor(String expr) {
        Matcher window = Pattern.compile("^sum\\(cursor_cost_window_usd\\{[^}]*window=\"(\\d+)d\"}\\)$").matcher(expr);
        if (window.matches()) {
            BigDecimal cents = BigDecimal.ZERO;
            for (int i = 1; i <= Integer.parseInt(window.group(1)); i++) {
                cents = cents.add(totals.costCentsByDay().getOrDefault(today.minusDays(i).toString(),
                        BigDecimal.ZERO));
            }
            return cents.divide(HUNDRED);
        }
        if (expr.matches("^sum\\(cursor_cycle_spend_usd\\{[^}]*}\\)$")) {
            return totals.cycleSpendCentsByUser().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                    .divide(HUNDRED);
        }
        BigDecimal teams = BigDecimal.valueOf(totals.cycleSpendCentsByTeam().size());
        if (expr.matches("^sum\\(sum by \\(team\\) \\(cursor_team_budget_usd\\{[^}]*}\\)\\)$")) {
            return BUDGET.multiply(teams);
        }
        if (expr.matches("^sum\\(cursor_cycle_spend_usd\\{[^}]*}\\) / \\(sum\\(sum by \\(team\\) "
                + "\\(cursor_team_budget_usd\\{[^}]*}\\)\\) > 0\\)$")) {
            BigDecimal spend = totals.cycleSpendCentsByUser().values().stream().reduce(BigDecimal.ZERO,
                    BigDecimal::add).divide(HUNDRED);
            return spend.divide(BUDGET.multiply(teams), 6, java.math.RoundingMode.HALF_EVEN);
        }
        if (expr.matches("^sum\\(cursor_members\\{[^}]*}\\)$")) {
            return BigDecimal.valueOf(totals.membersByRole().values().stream().mapToLong(Long::longValue).sum());
        }
        return null;
    }

    private static Instant defaultFrom(Dashboards.Board board) {
        Matcher m = RELATIVE.matcher(board.json().path("time").path("from").asText());
        assertTrue(m.matches(), board + ": default range " + board.json().path("time"));
        long n = Long.parseLong(m.group(1));
        return NOW.minus(m.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n));
    }

    private static boolean isShare(String field) {
        return field.endsWith("Share") || field.equals("tabAcceptance");
    }

    private static boolean isCount(String field) {
        return !isMoney(field) && !isShare(field) && !field.equals("costPerMillionTokens") && !field.equals("ratio");
    }

    /** Dollars: {@code costUsd}, and the reconciliation's estimated, settled and difference. */
    private static boolean isMoney(String field) {
        return field.endsWith("Usd");
    }

    /**
     * The state /api/v1/reconciliation must give a day: no_estimate when nothing was pushed for it, settled when it
     * is also older than the look-back (stored for good), else pending.
     */
    private String expectedState(LocalDate day) {
        boolean estimated = pushed.dailyCostUsd().keySet().stream().anyMatch(k -> k.get(0).equals(day.toString()));
        return !estimated ? "no_estimate" : day.isBefore(today.minusDays(LOOKBACK_DAYS)) ? "settled" : "pending";
    }

    /**
     * The reconciliation gauges per team, from the simulator: over the newest settled days (at most 7 within 30),
     * the pushed estimate / the billed cost (teams with both) or their difference (teams with either).
     */
    private Map<String, BigDecimal> reconciliationByTeam(boolean ratio) {
        Map<List<String>, Map<String, BigDecimal>> rows = oracle.reconciliation(pushed.dailyCostUsd(),
                today.minusDays(30), today);
        TreeSet<String> settledDays = new TreeSet<>();
        rows.keySet().stream().map(k -> k.get(0)).filter(d -> expectedState(LocalDate.parse(d)).equals("settled"))
                .forEach(settledDays::add);
        Set<String> window = settledDays.descendingSet().stream().limit(7).collect(java.util.stream.Collectors.toSet());
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        rows.forEach((k, row) -> {
            if (window.contains(k.get(0))) {
                BigDecimal[] t = sums.computeIfAbsent(k.get(1), x -> new BigDecimal[] {BigDecimal.ZERO,
                        BigDecimal.ZERO});
                t[0] = t[0].add(row.get("estimatedUsd"));
                t[1] = t[1].add(row.get("settledUsd"));
            }
        });
        Map<String, BigDecimal> out = new TreeMap<>();
        sums.forEach((team, t) -> {
            if (ratio && t[0].signum() > 0 && t[1].signum() > 0) {
                out.put(team, t[0].divide(t[1], 6, java.math.RoundingMode.HALF_EVEN));
            } else if (!ratio && (t[0].signum() != 0 || t[1].signum() != 0)) {
                out.put(team, t[0].subtract(t[1]));
            }
        });
        return out;
    }
}

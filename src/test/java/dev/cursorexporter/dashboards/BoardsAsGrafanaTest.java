package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.ExporterHarness;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every panel of every shipped board evaluated the way Grafana would, right after the first sync, against the
 * exporter synced from the simulator and a real Prometheus scraping it, and compared with the simulator's own
 * totals (computed from its generated data, not from the exporter) for the board's default time range.
 *
 * <p>Infinity targets: the URL with {@code ${__timeFrom}}/{@code ${__timeTo}} of the board's default range and the
 * variables at "All" ({@code .*}), each selected column read from each row. Cost columns are compared with the
 * simulator per day (daily answers, summed over the groups of a day) or over the range (totals, summed over
 * groups); counts must be integers, shares fractions in [0, 1], and a covered row has no missing figure.
 * Prometheus targets: instant queries with {@code $__range}, {@code $__interval} and {@code $__rate_interval}
 * substituted; the window gauges and the cycle spend are compared with the simulator, every answer must be
 * non-empty and finite. What the simulator's totals cannot decide is still evaluated and sanity-checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardsAsGrafanaTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Pattern RELATIVE = Pattern.compile("now-(\\d+)([dh])");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(team|location|user|model)(?::[a-z]+)?}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Simulator sim;
    private ExporterHarness exporter;
    private PrometheusServer prometheus;
    private SimulatorTotals totals;
    private LocalDate today;
    private LocalDate firstDay;

    @BeforeAll
    void syncOnce(@TempDir Path dir) throws IOException {
        sim = Simulator.start(SimulatorOptions.builder().live(false).rateLimits(false).clock(CLOCK).build());
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dir.resolve("data"), 90, UserLabelMode.EMAIL),
                CLOCK);
        exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
        totals = sim.totals();
        today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        firstDay = LocalDate.parse(totals.firstDay());
        prometheus = PrometheusServer.scraping(exporter.url("").replace("http://", ""), dir);
    }

    @AfterAll
    void stop() throws InterruptedException {
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
                                panel.path("description").asText()));
                    } else if (!target.has("target")) { // simPod targets: covered by the datasource tests
                        findings.add(where + ": a target the harness cannot evaluate: " + target);
                    }
                }
            }
        }
        assertTrue(infinity >= 40 && promql >= 40, "evaluated " + infinity + " Infinity and " + promql + " PromQL");
        assertEquals(List.of(), findings);
    }

    /** The harness can fail: a stat that reads the wrong column, or cost from counter history, is reported. */
    @Test
    void aWrongPanelIsReported() {
        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        // A "Cost in range" stat whose column selector points at a token count instead of costUsd.
        JsonNode wrongColumn = JSON.createObjectNode().put("url", "/api/v1/totals?from=${__timeFrom}&to=${__timeTo}")
                .set("columns", JSON.createArrayNode().add(JSON.createObjectNode().put("selector", "costUsd")
                        .put("readFrom", "cacheReadTokens").put("text", "Cost").put("type", "number")));
        List<String> tokensAsCost = checkInfinity("test / Cost in range", wrongColumn, weekAgo);
        assertTrue(tokensAsCost.stream().anyMatch(f -> f.contains("the simulator says")), tokensAsCost.toString());
        List<String> counterHistory = checkPromQl("test / Cost yesterday",
                "sum(increase(cursor_usage_cost_usd_total{job=~\"$job\"}[$__range]))", weekAgo, "");
        assertTrue(counterHistory.stream().anyMatch(f -> f.contains("counter history")), counterHistory.toString());
        List<String> wrongWindow = checkPromQl("test / Cost yesterday",
                "sum(cursor_cost_window_usd{job=~\"$job\",window=\"7d\"})", weekAgo, "");
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
        boolean totalsEndpoint = url.startsWith("/api/v1/totals");
        boolean filtered = url.matches(".*[?&](model|billing)=(?!\\.\\*)[^&]+.*");
        LocalDate fromDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        Map<String, BigDecimal> costByDay = new TreeMap<>();
        BigDecimal costInRange = BigDecimal.ZERO;
        for (JsonNode col : target.path("columns")) {
            String selector = col.path("selector").asText();
            String readFrom = col.path("readFrom").asText(selector);
            for (JsonNode row : rows) {
                if (!row.has(readFrom)) {
                    out.add(where + ": column " + readFrom + " missing in " + row);
                    continue;
                }
                JsonNode v = row.get(readFrom);
                boolean covered = totalsEndpoint ? row.path("coveredDays").asLong() > 0 : row.path("covered")
                        .asBoolean(false);
                if (!totalsEndpoint && !covered && !LocalDate.parse(row.path("date").asText()).isBefore(firstDay)) {
                    out.add(where + ": a day of the simulator's history is not covered: " + row);
                }
                if (!"number".equals(col.path("type").asText())) {
                    continue;
                }
                if (v.isNull()) {
                    if (covered && !isShare(selector)) {
                        out.add(where + ": " + selector + " is null on a covered row " + row);
                    }
                    continue;
                }
                if (isShare(selector) && (v.asDouble() < 0 || v.asDouble() > 1)) {
                    out.add(where + ": share " + selector + " outside [0, 1]: " + row);
                }
                if (isCount(selector) && !v.isIntegralNumber()) {
                    out.add(where + ": count " + selector + " is not an integer: " + row);
                }
                if (selector.equals("costUsd")) {
                    if (totalsEndpoint) {
                        costInRange = costInRange.add(v.decimalValue());
                    } else if (!LocalDate.parse(row.path("date").asText()).isBefore(firstDay)) {
                        costByDay.merge(row.path("date").asText(), v.decimalValue(), BigDecimal::add);
                    }
                }
            }
            if (!selector.equals("costUsd") || filtered) {
                continue;
            }
            // The simulator's cost per UTC day, for the days the panel's range covers.
            if (totalsEndpoint) {
                BigDecimal expected = BigDecimal.ZERO;
                for (LocalDate d = fromDay; !d.isAfter(today); d = d.plusDays(1)) {
                    expected = expected.add(totals.costCentsByDay().getOrDefault(d.toString(), BigDecimal.ZERO));
                }
                expected = expected.divide(HUNDRED);
                if (expected.subtract(costInRange).abs().compareTo(CENT) > 0) {
                    out.add(where + ": costUsd over the range is " + costInRange + ", the simulator says " + expected);
                }
            } else {
                for (Map.Entry<String, BigDecimal> e : costByDay.entrySet()) {
                    BigDecimal expected = totals.costCentsByDay().getOrDefault(e.getKey(), BigDecimal.ZERO)
                            .divide(HUNDRED);
                    if (expected.subtract(e.getValue()).abs().compareTo(CENT) > 0) {
                        out.add(where + ": costUsd on " + e.getKey() + " is " + e.getValue() + ", the simulator "
                                + "says " + expected);
                    }
                }
                LocalDate start = fromDay.isBefore(firstDay) ? firstDay : fromDay;
                long days = ChronoUnit.DAYS.between(start, today) + 1;
                if (costByDay.size() != days) {
                    out.add(where + ": " + costByDay.size() + " days of cost, the range has " + days
                            + " days of the simulator's history");
                }
            }
        }
        return out;
    }

    /**
     * @param description the panel's; a panel whose description says when it is empty (no budget configured, no
     *                    calls in the range) may be empty
     */
    private List<String> checkPromQl(String where, String expr, Instant from, String description) {
        if (expr.matches("(?s).*cursor_(usage_[a-z_]+|lines_added|tab_completions|feature_requests)_total.*")) {
            return List.of(where + ": a range figure from counter history (increase over a lifetime counter "
                    + "knows only what Prometheus scraped): " + expr);
        }
        long rangeS = Duration.between(from, NOW).getSeconds();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("__rate_interval", "1m");
        v.put("__interval", "1m");
        v.put("__range", rangeS + "s");
        v.put("job", "cursor-exporter");
        v.put("instance", ".+");
        for (String name : List.of("team", "location", "model", "user")) {
            v.put(name, ".*");
        }
        String q = PromQl.substitute(expr, v);
        JsonNode result = prometheus.query(q);
        List<String> out = new ArrayList<>();
        if (result.isEmpty()) {
            boolean mayBeEmpty = description.contains("empty") || expr.contains("cursor_team_budget_usd")
                    && description.contains("budget");
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
        return out;
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
        return !field.equals("costUsd") && !isShare(field) && !field.equals("costPerMillionTokens");
    }
}

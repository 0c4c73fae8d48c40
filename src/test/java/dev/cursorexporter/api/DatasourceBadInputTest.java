package dev.cursorexporter.api;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.SnapshotBuilder;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every kind of bad input to the datasource endpoints gets a 400 whose JSON error names the problem exactly;
 * never a 500 or a stack trace. Runs the real HTTP server on an empty store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasourceBadInputTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);
    private static final String DAY_FORMATS = "(expected YYYY-MM-DD, epoch milliseconds or ISO-8601 such as "
            + "2026-03-01T00:00:00Z)";
    private static final String KEYS = "(allowed: user, team, location, model)";
    private static final String REST_KEYS = "(allowed: user, team, location, model, billing, actor)";
    private static final String ACTORS = "(allowed: human, cloud_agent, automation, service_account)";
    private static final String TARGETS = "(known: cost, requests, tokens, input_tokens, output_tokens, "
            + "cache_read_tokens, cache_write_tokens, active_users, lines_added, ai_lines_added, tabs_shown, "
            + "tabs_accepted)";
    private static final String RANGE = "\"range\":{\"from\":\"2026-11-01T00:00:00.000Z\",\"to\":\"2026-11-20T15:30:00.000Z\"}";

    private SqliteStore store;
    private HttpServer server;

    @BeforeAll
    void start(@TempDir Path dir) {
        store = SqliteStore.open(dir);
        UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
        MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"), () -> Directory.EMPTY,
                labeler, CLOCK), "test", "live");
        DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY, labeler, CLOCK);
        server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live", new HttpAuth(Optional.empty(),
                Optional.empty()), queries, null, new CostReconciliation(store, List.of("default"),
                () -> Directory.EMPTY, true, CLOCK)).start();
    }

    @AfterAll
    void stop() {
        server.close();
        store.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    static Stream<Arguments> restCases() {
        return Stream.of(
                Arguments.of("/api/v1/daily?by=teem", "by: unknown key 'teem' " + REST_KEYS),
                Arguments.of("/api/v1/daily?by=team,,Model", "by: unknown key 'Model' " + REST_KEYS),
                Arguments.of("/api/v1/daily?from=2026-13-01", "from: cannot read '2026-13-01' as a day " + DAY_FORMATS),
                Arguments.of("/api/v1/daily?to=yesterday", "to: cannot read 'yesterday' as a day " + DAY_FORMATS),
                Arguments.of("/api/v1/daily?from=2026-03-01T00:00:00",
                        "from: cannot read '2026-03-01T00:00:00' as a day " + DAY_FORMATS),
                Arguments.of("/api/v1/daily?from=123456789012345678901234",
                        "from: cannot read '123456789012345678901234' as a day " + DAY_FORMATS),
                Arguments.of("/api/v1/daily?from=2026-03-10&to=2026-03-01", "from 2026-03-10 is after to 2026-03-01"),
                Arguments.of("/api/v1/daily?from=2026-11-20&to=2026-11-19", "from 2026-11-20 is after to 2026-11-19"),
                Arguments.of("/api/v1/totals?by=billing,Billing", "by: unknown key 'Billing' " + REST_KEYS),
                Arguments.of("/api/v1/totals?from=2026-03-10&to=2026-03-01", "from 2026-03-10 is after to 2026-03-01"),
                Arguments.of("/api/v1/totals?teem=Platform",
                        "unknown parameter 'teem' (allowed: from, to, by, user, team, location, model, billing, actor)"),
                Arguments.of("/api/v1/daily?from=2025-01-01&to=2026-01-02",
                        "range 2025-01-01 to 2026-01-02 is 367 days; at most 366 are allowed"),
                Arguments.of("/api/v1/daily?to=2026-03-01&from=1700000000000",
                        "range 2023-11-14 to 2026-03-01 is 839 days; at most 366 are allowed"),
                Arguments.of("/api/v1/daily?teem=Platform",
                        "unknown parameter 'teem' (allowed: from, to, by, user, team, location, model, billing, actor)"),
                Arguments.of("/api/v1/daily?from=2026-03-01&from=2026-03-02", "from: given 2 times, expected once"),
                Arguments.of("/api/v1/daily?by=actors", "by: unknown key 'actors' " + REST_KEYS),
                Arguments.of("/api/v1/daily?by=actor&actor=bot", "actor: unknown value 'bot' " + ACTORS),
                Arguments.of("/api/v1/totals?actor=human,Cloud_Agent", "actor: unknown value 'Cloud_Agent' " + ACTORS),
                Arguments.of("/api/v1/members?from=2026-03-01",
                        "unknown parameter 'from' (allowed: user, team, location)"),
                Arguments.of("/api/v1/reconciliation?by=team",
                        "unknown parameter 'by' (allowed: from, to, team)"),
                Arguments.of("/api/v1/reconciliation?from=2026-13-01",
                        "from: cannot read '2026-13-01' as a day " + DAY_FORMATS),
                Arguments.of("/api/v1/reconciliation?from=2026-03-10&to=2026-03-01",
                        "from 2026-03-10 is after to 2026-03-01"),
                Arguments.of("/api/v1/reconciliation?from=2025-01-01&to=2026-01-02",
                        "range 2025-01-01 to 2026-01-02 is 367 days; at most 366 are allowed"),
                Arguments.of("/api/v1/reconciliation?to=2026-11-01&to=2026-11-02", "to: given 2 times, expected once"),
                Arguments.of("/api/v1/reconciliation?from=1700000000000",
                        "range 2023-11-14 to 2026-11-20 is 1103 days; at most 366 are allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restCases")
    void restBadInputIs400WithTheProblemNamed(String path, String error) {
        assertBadRequest(JsonHttp.get(url(path)), error);
    }

    static Stream<Arguments> simpodCases() {
        String target = "{\"refId\":\"A\",\"target\":\"cost\",\"payload\":%s}";
        String query = "{" + RANGE + ",\"targets\":[%s]}";
        String withFilter = "{" + RANGE + ",\"targets\":[{\"target\":\"cost\"}],\"filters\":[%s]}";
        return Stream.of(
                Arguments.of("/grafana/query", "{\"range\":", "malformed JSON at line 1, column 10"),
                Arguments.of("/grafana/query", "{\"range\":{},\"range\":{}}", "malformed JSON at line 1, column 20"),
                Arguments.of("/grafana/query", "{} trailing", "malformed JSON at line 1, column 4"),
                Arguments.of("/grafana/query", "[]", "request body: expected a JSON object, got array"),
                Arguments.of("/grafana/query", "{}", "range: missing"),
                Arguments.of("/grafana/query", "{\"range\":\"last week\"}", "range: expected an object, got string"),
                Arguments.of("/grafana/query", "{\"range\":{\"from\":1,\"to\":\"x\"}}",
                        "range.from: expected a string, got number"),
                Arguments.of("/grafana/query", "{\"range\":{\"from\":\"2026-11-01T00:00:00.000Z\"}}", "range.to: missing"),
                Arguments.of("/grafana/query", "{\"range\":{\"from\":\"2026-11-01T00:00:00.000Z\",\"to\":\"soon\"}}",
                        "range.to: cannot read 'soon' as a day " + DAY_FORMATS),
                Arguments.of("/grafana/query", "{\"range\":{\"from\":\"2026-11-10T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\"}}",
                        "range.from 2026-11-10 is after range.to 2026-11-01"),
                Arguments.of("/grafana/query", "{\"range\":{\"from\":\"2024-11-01T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\"}}",
                        "range 2024-11-01 to 2026-11-01 is 731 days; at most 366 are allowed"),
                Arguments.of("/grafana/query", "{" + RANGE + ",\"intervalMs\":\"1h\"}",
                        "intervalMs: expected a non-negative whole number, got string"),
                Arguments.of("/grafana/query", "{" + RANGE + ",\"maxDataPoints\":-5}",
                        "maxDataPoints: expected a non-negative whole number, got -5"),
                Arguments.of("/grafana/query", "{" + RANGE + ",\"maxDataPoints\":1.5}",
                        "maxDataPoints: expected a non-negative whole number, got 1.5"),
                Arguments.of("/grafana/query", "{" + RANGE + ",\"targets\":{}}", "targets: expected an array, got object"),
                Arguments.of("/grafana/query", query.formatted("\"cost\""), "targets[0]: expected an object, got string"),
                Arguments.of("/grafana/query", query.formatted("{\"target\":\"costs\"}"),
                        "targets[0].target: unknown target 'costs' " + TARGETS),
                Arguments.of("/grafana/query", query.formatted("{\"target\":7}"),
                        "targets[0].target: expected a string, got number"),
                Arguments.of("/grafana/query", query.formatted("{\"target\":\"cost\",\"hide\":\"yes\"}"),
                        "targets[0].hide: expected true or false, got string"),
                Arguments.of("/grafana/query", query.formatted(target.formatted("{\"by\":[\"teem\"]}")),
                        "targets[0].payload.by: unknown key 'teem' " + KEYS),
                Arguments.of("/grafana/query", query.formatted(target.formatted("{\"by\":5}")),
                        "targets[0].payload.by: expected a string or an array of strings, got number"),
                Arguments.of("/grafana/query", query.formatted(target.formatted("{\"team\":[1]}")),
                        "targets[0].payload.team[0]: expected a string, got number"),
                Arguments.of("/grafana/query", query.formatted(target.formatted("{\"format\":\"graph\"}")),
                        "targets[0].payload.format: unknown format 'graph' (allowed: time_series, table)"),
                Arguments.of("/grafana/query", query.formatted(target.formatted("\"{\\\"by\\\": \"")),
                        "targets[0].payload: malformed JSON at line 1, column 8"),
                Arguments.of("/grafana/query", query.formatted(target.formatted("[]")),
                        "targets[0].payload: expected an object, got array"),
                Arguments.of("/grafana/query", query.formatted(
                                "{\"target\":\"active_users\",\"payload\":{\"by\":[\"team\",\"model\"]}}"),
                        "targets[0].payload.by: target 'active_users' has no model dimension"),
                Arguments.of("/grafana/query", query.formatted(
                                "{\"target\":\"tabs_accepted\",\"payload\":{\"model\":\"gpt-5\"}}"),
                        "targets[0].payload.model: target 'tabs_accepted' has no model dimension"),
                Arguments.of("/grafana/query", "{" + RANGE + ",\"filters\":\"team=x\"}",
                        "filters: expected an array, got string"),
                Arguments.of("/grafana/query", withFilter.formatted("{\"key\":\"teem\",\"operator\":\"=\",\"value\":\"x\"}"),
                        "filters[0].key: unknown key 'teem' " + KEYS),
                Arguments.of("/grafana/query", withFilter.formatted("{\"key\":\"team\",\"operator\":\"<\",\"value\":\"x\"}"),
                        "filters[0].operator: unsupported operator '<' (allowed: =, !=, =|, !=|, =~, !~)"),
                Arguments.of("/grafana/query", withFilter.formatted("{\"key\":\"team\",\"operator\":\"=~\",\"value\":\"(\"}"),
                        "filters[0].value: invalid regular expression '('"),
                Arguments.of("/grafana/query", withFilter.formatted("{\"key\":\"team\",\"operator\":\"=\",\"value\":5}"),
                        "filters[0].value: expected a string, got number"),
                Arguments.of("/grafana/query", withFilter.formatted("{\"key\":\"team\",\"operator\":\"=\"}"),
                        "filters[0].value: missing"),
                Arguments.of("/grafana/metrics", "not json", "malformed JSON at line 1, column 1"),
                Arguments.of("/grafana/search", "\"cost\"", "request body: expected a JSON object, got string"),
                Arguments.of("/grafana/metric-payload-options", "{\"metric\":\"cost\",\"name\":\"format\"}",
                        "name: no options for payload 'format' (payloads with options: user, team, location, model)"),
                Arguments.of("/grafana/metric-payload-options", "{\"metric\":\"costs\",\"name\":\"team\"}",
                        "metric: unknown target 'costs' " + TARGETS),
                Arguments.of("/grafana/metric-payload-options", "{\"metric\":\"cost\"}", "name: missing"),
                Arguments.of("/grafana/variable", "{}", "payload: missing"),
                Arguments.of("/grafana/variable", "{\"payload\":3}", "payload: expected an object or a string, got number"),
                Arguments.of("/grafana/variable", "{\"payload\":{\"target\":\"teams\"}}",
                        "payload.target: unknown key 'teams' " + KEYS),
                Arguments.of("/grafana/tag-values", "{}", "key: missing"),
                Arguments.of("/grafana/tag-values", "{\"key\":\"teem\"}", "key: unknown key 'teem' " + KEYS));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("simpodCases")
    void simpodBadInputIs400WithTheProblemNamed(String path, String body, String error) {
        assertBadRequest(JsonHttp.post(url(path), body), error);
    }

    @Test
    void boundariesThatAreFine() {
        assertEquals(366, JsonHttp.get(url("/api/v1/daily?from=2025-11-20&to=2026-11-20")).body().size(),
                "366 days are allowed, each a zero row");
        assertEquals("[]", JsonHttp.get(url("/api/v1/daily?by=team&team=nobody")).raw(),
                "an unknown filter value is an empty answer, not an error");
        assertEquals("[]", JsonHttp.post(url("/grafana/query"), "{" + RANGE + ",\"targets\":[]}").raw());
        assertEquals(200, JsonHttp.post(url("/grafana/metrics"), "").status(), "an empty body counts as {}");
        assertEquals("[]", JsonHttp.get(url("/api/v1/reconciliation?from=2025-11-20&to=2026-11-20")).raw(),
                "366 days are allowed; an empty store has no team to compare");
        assertEquals("[]", JsonHttp.get(url("/api/v1/reconciliation?from=2026-11-21")).raw(),
                "no row after today");
        assertEquals(200, JsonHttp.get(url("/api/v1/reconciliation?team=.*&from=1700000000000&to=1731000000000"))
                .status(), "epoch milliseconds, Grafana's All");
    }

    private static void assertBadRequest(JsonHttp.Answer answer, String error) {
        assertEquals(400, answer.status(), answer.raw());
        assertEquals(Map.of("error", error), JsonHttp.MAPPER.convertValue(answer.body(), Map.class));
        assertFalse(answer.raw().contains("Exception"), answer.raw());
    }
}

package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Budgets, directory rules, team source and the series cap: what is read, and the exact problem lines. */
class SpendControlConfigTest {
    @TempDir
    Path tmp;

    private ExporterConfig load(String yaml, Map<String, String> env) throws IOException, ConfigException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CURSOR_EXPORTER_CONFIG", Files.writeString(tmp.resolve("c.yaml"), yaml).toString());
        return ConfigLoader.load(all);
    }

    @Test
    void budgetsRulesTeamSourceAndCapAreRead() throws Exception {
        ExporterConfig config = load("""
                budgets:
                  default: 1000
                  teams: {Platform: 5000, "Data Science": 2500.50}
                directory:
                  team_source: billing_groups
                  rules:
                    - {match: "*@eu.acme.com", team: EU, location: Dublin}
                    - {domain: acme.com, location: Remote}
                metrics:
                  max_series_per_metric: 2000
                """, Map.of());

        assertEquals(Optional.of(new BigDecimal("1000")), config.budgets().defaultBudget());
        assertEquals(Map.of("Platform", new BigDecimal("5000"), "Data Science", new BigDecimal("2500.5")),
                config.budgets().teams());
        assertEquals(Optional.of(new BigDecimal("2500.5")), config.budgets().budgetFor("Data Science"));
        assertEquals(Optional.of(new BigDecimal("1000")), config.budgets().budgetFor("Unlisted"));
        assertEquals(TeamSource.BILLING_GROUPS, config.directory().teamSource());
        assertEquals(2000, config.metrics().maxSeriesPerMetric());
        assertEquals(List.of("match: *@eu.acme.com", "domain: acme.com"),
                config.directory().rules().stream().map(DirectoryRule::pattern).toList());
        DirectoryRule eu = config.directory().rules().get(0);
        assertTrue(eu.matches("ana@eu.acme.com"));
        assertFalse(eu.matches("ana@acme.com"));
        assertEquals(Optional.of("EU"), eu.team());
        DirectoryRule domain = config.directory().rules().get(1);
        assertTrue(domain.matches("bo@acme.com"));
        assertFalse(domain.matches("bo@eu.acme.com"), "a domain rule does not cover sub-domains");
        assertFalse(domain.matches("bo@notacme.com"));
        assertEquals(Optional.empty(), domain.team());
    }

    @Test
    void withoutADefaultUnlistedTeamsHaveNoBudgetAndDefaultsStay() throws Exception {
        ExporterConfig config = load("budgets:\n  teams: {Platform: 10}\n", Map.of());
        assertEquals(Optional.empty(), config.budgets().budgetFor("Payments"));
        assertEquals(TeamSource.DIRECTORY, config.directory().teamSource());
        assertEquals(ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC, config.metrics().maxSeriesPerMetric());
        assertEquals(List.of(), config.directory().rules());
    }

    @Test
    void theEnvironmentSetsTheSeriesCap() throws Exception {
        assertEquals(500, load("", Map.of("CURSOR_EXPORTER_MAX_SERIES_PER_METRIC", "500")).metrics()
                .maxSeriesPerMetric());
    }

    record Case(String name, String yaml, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> problems() {
        return Stream.of(
                new Case("budgets a list", "budgets: [1, 2]\n",
                        List.of("budgets: must be a mapping with default and teams, got a list")),
                new Case("negative default", "budgets:\n  default: -5\n",
                        List.of("budgets.default: must be a number of USD (0 or more), got '-5'")),
                new Case("text budget and unknown key", "budgets:\n  teams: {Platform: lots}\n  monthly: 3\n",
                        List.of("budgets.teams.Platform: must be a number of USD (0 or more), got 'lots'",
                                "unknown key 'budgets.monthly'")),
                new Case("teams a list", "budgets:\n  teams: [Platform]\n",
                        List.of("budgets.teams: must be a mapping of team to USD, got a list")),
                new Case("team budget a mapping", "budgets:\n  teams: {Platform: {usd: 3}}\n",
                        List.of("budgets.teams.Platform: must be a number of USD (0 or more), got a mapping")),
                new Case("rules a mapping", "directory:\n  rules: {match: x}\n",
                        List.of("directory.rules: must be a list, got a mapping")),
                new Case("rule a string", "directory:\n  rules: ['*@acme.com']\n",
                        List.of("directory.rules[0]: must be a mapping with match or domain and team or location, "
                                + "got a string")),
                new Case("rule without pattern or target", "directory:\n  rules:\n    - {tem: EU}\n",
                        List.of("unknown key 'directory.rules[0].tem'",
                                "directory.rules[0]: needs match (an e-mail glob like *@eu.acme.com) or domain",
                                "directory.rules[0]: needs team or location")),
                new Case("rule with both patterns", "directory:\n  rules:\n    - {match: '*@a.com', domain: a.com, team: A}\n",
                        List.of("directory.rules[0]: set match or domain, not both")),
                new Case("bad glob and bad domain", """
                        directory:
                          rules:
                            - {team: A, match: acme.com}
                            - {team: B, domain: "x@acme.com"}
                        """,
                        List.of("directory.rules[0].match: must be an e-mail glob like *@eu.acme.com, got 'acme.com'",
                                "directory.rules[1].domain: must be a domain like eu.acme.com, got 'x@acme.com'")),
                new Case("team source unknown", "directory:\n  team_source: ldap\n",
                        List.of("directory.team_source: must be one of directory, billing_groups, got 'ldap'")),
                new Case("cap too small", "metrics:\n  max_series_per_metric: 10\n",
                        List.of("metrics.max_series_per_metric: must be an integer from 100 to 10000000, got '10'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void reportsEveryProblemExactly(Case c) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(c.yaml(), Map.of()));
        assertEquals(c.problems(), e.problems());
    }
}

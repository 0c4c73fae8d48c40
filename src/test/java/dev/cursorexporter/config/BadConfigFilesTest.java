package dev.cursorexporter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The files under {@code src/test/resources/config/bad/} (one mistake each, as a user would make it) and the one
 * problem line each produces, naming the key. {@code $FILE} stands for the file's own path. A file added there without
 * its line here fails {@link #everyBadFileHasItsExpectedProblem}.
 */
class BadConfigFilesTest {
    record Case(String file, String problem) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("server-port-out-of-range.yml", "server.port: must be an integer from 1 to 65535, got '70000'"),
                new Case("server-basic-auth-without-password.yml", "server.basic_auth.password or "
                        + "server.basic_auth.password_file: required when server.basic_auth.user is set"),
                new Case("store-url-unsupported.yml", "store.url: only jdbc:sqlite: and jdbc:postgresql:// URLs are "
                        + "supported, got 'jdbc:mysql://db:3306/cursor'"),
                new Case("sync-backfill-days-too-large.yml",
                        "sync.backfill_days: must be an integer from 1 to 365, got '400'"),
                new Case("sync-interval-below-a-minute.yml", "sync.intervals.spend: must be at least 1m, got '30s'"),
                new Case("sync-rate-limit-unknown-family.yml", "unknown key 'sync.rate_limits.spend'"),
                new Case("sync-max-answer-size-decimal-unit.yml", "sync.max_answer_size: must be a size from 64KiB to "
                        + "1GiB (bytes, or a whole number with KiB, MiB or GiB), got '512kB'"),
                new Case("cursor-base-url-not-http.yml",
                        "cursor.base_url: must be an absolute http(s) URL, got 'ftp://api.cursor.com'"),
                new Case("cursor-and-accounts.yml", "cursor and accounts are both set; set one"),
                new Case("accounts-empty.yml", "accounts: must list at least one account"),
                new Case("accounts-duplicate-name.yml", "accounts[1].name: duplicate account name 'acme'"),
                new Case("accounts-name-missing.yml", "accounts[1].name: required when several accounts are configured"),
                new Case("demo-yes.yml", "demo: must be true or false, got 'yes'"),
                new Case("directory-team-source-unknown.yml",
                        "directory.team_source: must be one of directory, billing_groups, got 'ldap'"),
                new Case("directory-rule-without-target.yml", "directory.rules[0]: needs team or location"),
                new Case("metrics-user-label-unknown.yml",
                        "metrics.user_label: must be one of email, hash, none, got 'name'"),
                new Case("metrics-salt-a-number.yml",
                        "metrics.user_label_salt: must be a string, got a number; quote the value"),
                new Case("metrics-max-series-too-small.yml",
                        "metrics.max_series_per_metric: must be an integer from 100 to 10000000, got '10'"),
                new Case("budgets-negative.yml", "budgets.default: must be a number of USD (0 or more), got '-5'"),
                new Case("unknown-key.yml", "unknown key 'sync.backfil_days'"),
                new Case("duplicate-key.yml", "$FILE: invalid YAML at line 4, column 7: duplicate key 'port'"),
                new Case("top-level-list.yml", "$FILE: must be a mapping of settings at the top level, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadFileFailsWithItsProblem(Case c) throws URISyntaxException {
        String file = bad().resolve(c.file()).toString();
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", file)));
        assertEquals(List.of(c.problem().replace("$FILE", file)), e.problems());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }

    @Test
    void everyBadFileHasItsExpectedProblem() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(bad())) {
            assertEquals(cases().map(Case::file).sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private Path bad() throws URISyntaxException {
        return Path.of(getClass().getResource("/config/bad").toURI());
    }
}

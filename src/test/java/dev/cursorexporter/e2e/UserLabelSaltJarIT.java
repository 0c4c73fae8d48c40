package dev.cursorexporter.e2e;

import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CURSOR_EXPORTER_USER_LABEL=hash} without a configured salt, with the built jar on one data directory
 * (issue 16, item 5): check-config accepts it; the first start generates a salt and keeps it in the store, and
 * every {@code user} label is the HMAC of a member's e-mail under that stored salt; a restart gives the same
 * pseudonyms; {@code rotate-user-label-salt} is refused while the exporter runs and afterwards changes them all; a
 * configured salt wins over the stored one and leaves it alone. The salt is in no log line and no answer.
 */
class UserLabelSaltJarIT {
    private static final String CONFIGURED_SALT = "configured_SaltCheck_6f1e93";

    @TempDir
    Path dir;

    @Test
    void aGeneratedSaltIsKeptAcrossRestartsRotatesOnlyWhenAskedAndNeverShows() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(8).days(10).seed(5).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = new HashMap<>(JarProcess.simulatorEnv(sim, dir, 10));
            env.put("CURSOR_EXPORTER_USER_LABEL", "hash");
            int port = Integer.parseInt(env.get("CURSOR_EXPORTER_PORT"));
            Path log = dir.resolve("exporter.log");
            Path data = dir.resolve("data");
            Set<String> emails = new java.util.HashSet<>(emails(sim.directoryCsv()));
            emails.addAll(sim.totals().costCentsByUser().keySet()); // removed members too

            assertEquals(0, JarProcess.run(env, log, Duration.ofSeconds(60), "check-config"));
            assertTrue(Files.readString(log).contains("user label: hash (salt generated, kept in the store)"),
                    Files.readString(log));

            Set<String> first = labelsOfARun(env, port, log, seen, true);
            String salt = storedSalt(data);
            assertEquals(43, salt.length(), "32 random bytes in Base64");
            assertEquals(labels(emails, salt, first), first, "every label is an e-mail's HMAC under the stored salt");

            Set<String> second = labelsOfARun(env, port, log, seen, false);
            assertEquals(first, second, "the same pseudonyms after a restart");
            assertEquals(salt, storedSalt(data), "the salt is not generated again");

            // rotation: refused while an exporter holds the data directory, then done on request
            Path rotateLog = dir.resolve("rotate.log");
            try (JarProcess running = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp("http://127.0.0.1:" + port + "/healthz"));
                assertEquals(3, JarProcess.run(env, rotateLog, Duration.ofSeconds(60), "rotate-user-label-salt"));
                assertTrue(Files.readString(rotateLog).contains("another exporter is already using the data directory"),
                        Files.readString(rotateLog));
                assertEquals(salt, storedSalt(data));
                running.terminate(Duration.ofSeconds(30));
            }
            assertEquals(0, JarProcess.run(env, rotateLog, Duration.ofSeconds(60), "rotate-user-label-salt"));
            assertTrue(Files.readString(rotateLog).contains("replaced the user-label salt kept in the sqlite store"),
                    Files.readString(rotateLog));
            String rotated = storedSalt(data);
            assertNotEquals(salt, rotated);
            Set<String> third = labelsOfARun(env, port, log, seen, false);
            assertEquals(labels(emails, rotated, third), third);
            assertTrue(first.stream().filter(l -> l.startsWith("u_")).noneMatch(third::contains),
                    "every pseudonym changed: " + first + " " + third);

            // a configured salt wins, and the stored one stays for when it is removed
            env.put("CURSOR_EXPORTER_USER_LABEL_SALT", CONFIGURED_SALT);
            Set<String> configured = labelsOfARun(env, port, log, seen, false);
            assertEquals(labels(emails, CONFIGURED_SALT, configured), configured);
            assertNotEquals(third, configured);
            assertEquals(rotated, storedSalt(data));

            String output = Files.readString(log) + Files.readString(rotateLog);
            assertTrue(output.contains("user label: hash with a salt generated now and kept in the store"), output);
            assertTrue(output.contains("user label: hash with the salt generated in the store on"), output);
            assertTrue(output.contains("user label: hash with the configured salt"), output);
            seen.add(output);
            for (String secret : List.of(salt, rotated, CONFIGURED_SALT)) {
                for (String text : seen) {
                    assertFalse(text.contains(secret), "a salt shows in: " + text.substring(0, Math.min(300,
                            text.length())));
                }
            }
        }
    }

    /**
     * Starts the jar, waits for user-labelled cost series, collects what a dashboard and an operator would read,
     * stops it, and returns the {@code user} label values of {@code cursor_usage_cost_usd_total}.
     */
    private static Set<String> labelsOfARun(Map<String, String> env, int port, Path log, List<String> seen,
                                            boolean firstRun) {
        try (JarProcess exporter = JarProcess.start(env, log)) {
            String base = "http://127.0.0.1:" + port;
            Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp(base + "/healthz"));
            Set<String> labels = new TreeSet<>();
            Http.await(Duration.ofSeconds(90), "user-labelled cost series", () -> {
                Exposition scrape = Exposition.parse(Http.get(base + "/metrics").body());
                labels.clear();
                scrape.samples("cursor_usage_cost_usd_total").forEach(s -> labels.add(s.labels().get("user")));
                return labels.stream().filter(l -> l.startsWith("u_")).count() >= 3
                        && Http.isUp(base + "/readyz");
            });
            for (String path : List.of("/metrics", "/api/v1/status", "/api/v1/daily?by=user", "/api/v1/members")) {
                seen.add(Http.get(base + path).body());
            }
            int exit = exporter.terminate(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + (firstRun ? " (first run)" : ""));
            return Set.copyOf(labels);
        }
    }

    /** What the labels must be: each member's pseudonym under {@code salt}, as far as they appear in {@code got}. */
    private static Set<String> labels(Set<String> emails, String salt, Set<String> got) {
        UserLabeler labeler = new UserLabeler(UserLabelMode.HASH, Optional.of(new Secret(salt)));
        Set<String> all = emails.stream().map(e -> labeler.label(e).orElseThrow()).collect(Collectors.toSet());
        all.add(UserLabeler.UNKNOWN);
        all.add("other");
        return got.stream().filter(all::contains).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> emails(String directoryCsv) {
        return directoryCsv.lines().skip(1).map(l -> l.split(",")[0].trim()).filter(e -> e.contains("@"))
                .collect(Collectors.toSet());
    }

    private static String storedSalt(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT salt FROM user_label_salt")) {
            assertTrue(rs.next(), "a salt is stored");
            String salt = rs.getString(1);
            assertFalse(rs.next(), "one salt");
            return salt;
        }
    }
}

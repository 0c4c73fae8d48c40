package dev.cursorexporter.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorCliTest {

    @Test
    void parsesEveryOption() {
        SimulatorOptions o = SimulatorCli.parse(new String[] {"simulate", "--port", "9999", "--users", "5",
                "--days=10", "--profile", "observed-2026-01", "--seed", "-3", "--api-key", "k", "--no-rate-limits",
                "--retry-after", "--accept-bearer", "--error-rate", "0.25", "--removed", "absent",
                "--retention-days", "7", "--max-range-days", "90", "--max-events-page-size", "500",
                "--admin-rate-limit", "5", "--events-rate-limit", "6", "--host", "0.0.0.0", "--frozen"});
        assertEquals(9999, o.port());
        assertEquals(5, o.users());
        assertEquals(10, o.days());
        assertEquals(Profile.OBSERVED_2026_01, o.profile());
        assertEquals(-3, o.seed());
        assertEquals("k", o.apiKey());
        assertFalse(o.rateLimits());
        assertTrue(o.retryAfter() && o.acceptBearer());
        assertEquals(0.25, o.errorRate());
        assertEquals(RemovedMembers.ABSENT, o.removedMembers());
        assertEquals(7, o.retentionDays());
        assertEquals(90, o.maxRangeDays());
        assertEquals(500, o.maxEventsPageSize());
        assertEquals(5, o.adminRequestsPerMinute());
        assertEquals(6, o.eventsRequestsPerMinute());
        assertEquals("0.0.0.0", o.host());
        assertFalse(o.live());
    }

    @Test
    void defaultsAreCursorsPublishedLimits() {
        SimulatorOptions o = SimulatorCli.parse(new String[0]);
        assertEquals(SimulatorOptions.defaults().toString(), o.toString());
        assertEquals(40, o.users());
        assertEquals(90, o.days());
        assertEquals("127.0.0.1", o.host());
        assertEquals("sim-key", o.apiKey());
        assertEquals(20, o.adminRequestsPerMinute());
        assertEquals(60, o.eventsRequestsPerMinute());
        assertEquals(30, o.maxRangeDays());
        assertEquals(1000, o.maxEventsPageSize());
        assertTrue(o.rateLimits() && o.live());
        assertFalse(o.retryAfter() || o.acceptBearer());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--users abc|--users expects an integer, got 'abc'",
            "--users 0|users must be at least 1",
            "--port 70000|port must be between 0 and 65535",
            "--profile latest|unknown profile 'latest' (expected one of docs-latest, observed-2026-01)",
            "--removed gone|unknown removed-members mode 'gone' (expected listed or absent)",
            "--error-rate 2|errorRate must be between 0 and 1",
            "--error-rate x|--error-rate expects a number, got 'x'",
            "--days|--days needs a value",
            "--bogus 1|unknown option --bogus",
            "--retry-after=yes|--retry-after takes no value"})
    void badArgumentsGiveOneClearLine(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorCli.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void runPrintsUsageForBadArgumentsAndExitsWith2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCli.run(new String[] {"--users", "x"}, print(out), print(err), () -> {
            throw new AssertionError("must not start");
        });
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("simulate: --users expects an integer, got 'x'"), text);
        assertTrue(text.contains("Usage: cursor-exporter simulate"));
        assertEquals(0, SimulatorCli.run(new String[] {"--help"}, print(out), print(err), () -> { }));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--no-rate-limits"));
    }

    @Test
    void runStartsServesAndStopsWhenSignalled() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<Integer> status = new AtomicReference<>();
        int code = SimulatorCli.run(new String[] {"simulate", "--users", "3", "--days", "5", "--api-key", "cli-key"},
                print(out), print(new ByteArrayOutputStream()), () -> {
                    String printed = out.toString(StandardCharsets.UTF_8);
                    String url = printed.substring(printed.indexOf("http://"), printed.indexOf(" (profile"));
                    status.set(new SimClient(java.net.URI.create(url), SimClient.basicHeader("cli-key", ""))
                            .get("/teams/members").status());
                });
        assertEquals(0, code);
        assertEquals(200, status.get());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("API key: cli-key"));
        assertTrue(printed.contains("Press Ctrl-C to stop."));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}

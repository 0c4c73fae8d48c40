package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.LogfmtParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar in each log format, started, synced a little and stopped with SIGTERM: every line it wrote must be
 * one event of that format (JSON parsed by Jackson, logfmt by a strict reader), the configuration one event with
 * its settings as fields, the demo banner one warn line. The same runs check the bind address: bound to 127.0.0.1,
 * the exporter (and the OTLP receiver) cannot be reached on 127.0.0.2, another loopback address of this machine;
 * bound to all interfaces, it can.
 */
class LogFormatAndListenJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEXT_EVENT = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG) [\\w$.-]+: .*");
    private static final String SECRET_KEY = "crsr_log_it_secret_0123456789";
    private static final String OTLP_TOKEN = "otlp_log_it_secret_9876543210";

    @TempDir
    Path dir;

    /** Demo mode, JSON, bound to 127.0.0.1 by the flag. */
    @Test
    void jsonInDemoModeBoundToLoopback() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = Map.of("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString());
        List<String> lines = runUntilSynced(env, port, "--log.format=json", "--web.listen-address=127.0.0.1:" + port);

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.isObject(), line);
            for (String field : List.of("time", "level", "logger", "msg")) {
                assertTrue(event.hasNonNull(field), field + " in " + line);
            }
            events.add(event);
        }
        List<JsonNode> configuration = events.stream().filter(e -> e.get("msg").asText().equals("configuration"))
                .toList();
        assertEquals(1, configuration.size(), String.join("\n", lines));
        assertEquals("127.0.0.1:" + port, configuration.get(0).get("listen_address").asText());
        assertTrue(configuration.get(0).get("mode").asText().startsWith("demo"), configuration.get(0).toString());
        assertEquals("json, level info", configuration.get(0).get("log").asText());
        List<JsonNode> banner = events.stream().filter(e -> e.get("msg").asText().startsWith("DEMO MODE")).toList();
        assertEquals(1, banner.size());
        assertEquals("warn", banner.get(0).get("level").asText());
        assertTrue(banner.get(0).get("simulator").asText().startsWith("http://127.0.0.1:"), banner.get(0).toString());
        assertTrue(events.stream().noneMatch(e -> e.get("level").asText().equals("debug")), "info hides debug");
    }

    /** Live against the simulator with the OTLP receiver on, logfmt at debug, both ports bound to 127.0.0.1. */
    @Test
    void logfmtLiveWithTheReceiverBothBoundToLoopback() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(20).days(10).seed(5).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).apiKey(SECRET_KEY).build())) {
            Map<String, String> env = new HashMap<>(JarProcess.simulatorEnv(sim, dir, 5));
            int port = Integer.parseInt(env.remove("CURSOR_EXPORTER_PORT"));
            int otlpPort = JarProcess.freePort();
            env.put("CURSOR_EXPORTER_OTLP_TOKEN", OTLP_TOKEN);
            env.put("CURSOR_EXPORTER_OTLP_PORT", Integer.toString(otlpPort));
            env.put("CURSOR_EXPORTER_BIND_ADDRESS", "127.0.0.1");
            env.put("CURSOR_EXPORTER_LOG_FORMAT", "json"); // the flag wins
            List<String> lines = runUntilSynced(env, port, () -> {
                assertReachable("127.0.0.1", otlpPort);
                assertUnreachable("127.0.0.2", otlpPort);
            }, "--log.format=logfmt", "--log.level=debug", "--web.listen-address=127.0.0.1:" + port);

            List<Map<String, String>> events = lines.stream().map(LogfmtParser::parse).toList();
            events.forEach(e -> assertEquals(List.of("time", "level", "logger", "msg"),
                    List.copyOf(e.keySet()).subList(0, 4), e.toString()));
            List<Map<String, String>> configuration = events.stream()
                    .filter(e -> e.get("msg").equals("configuration")).toList();
            assertEquals(1, configuration.size());
            assertEquals("127.0.0.1:" + port, configuration.get(0).get("listen_address"));
            assertTrue(configuration.get(0).get("otlp_receiver").startsWith("127.0.0.1:" + otlpPort + ", token (set)"),
                    configuration.get(0).toString());
            assertEquals("logfmt, level debug", configuration.get(0).get("log"));
            assertTrue(configuration.get(0).get("account.default").endsWith("API key ***"), configuration.toString());
            assertTrue(events.stream().anyMatch(e -> e.get("level").equals("debug")), "debug events are written");
            assertTrue(events.stream().noneMatch(e -> e.get("logger").startsWith("org.eclipse.jetty")
                    && !e.get("level").equals("warn") && !e.get("level").equals("error")), "Jetty stays quiet");
            String all = String.join("\n", lines);
            assertFalse(all.contains(SECRET_KEY), "the API key never appears");
            assertFalse(all.contains(OTLP_TOKEN), "the OTLP token never appears");
        }
    }

    /** Demo mode, text, all interfaces by default: reachable on any loopback address. */
    @Test
    void textByDefaultOnAllInterfaces() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = Map.of("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString(),
                "CURSOR_EXPORTER_PORT", Integer.toString(port));
        List<String> lines = runUntilSynced(env, port, () -> assertReachable("127.0.0.2", port), new String[0]);
        for (String line : lines) {
            assertTrue(TEXT_EVENT.matcher(line).matches() || line.startsWith("\t"), "not a text event: " + line);
        }
        assertEquals(1, lines.stream().filter(l -> l.contains(" INFO  App: configuration mode=\"demo")).count(),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains(" listen_address=\"0.0.0.0:" + port + " (all interfaces)\" ")),
                String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains(" WARN  App: DEMO MODE: ")).count());
        assertTrue(lines.stream().noneMatch(l -> l.contains("=====")), "no banner frame");
    }

    /** The case: serve --help while nothing runs must not make the data directory or open the port. */
    @Test
    void helpVersionAndUsageErrorsOfTheJarStartNothing() throws IOException {
        Path data = dir.resolve("data");
        int port = JarProcess.freePort();
        Map<String, String> env = Map.of("CURSOR_EXPORTER_DATA_DIR", data.toString(),
                "CURSOR_EXPORTER_PORT", Integer.toString(port));
        record Case(int code, String start, String[] args) {
        }
        for (Case c : List.of(
                new Case(0, "Usage: cursor-exporter serve [-hV]", new String[]{"serve", "--help"}),
                new Case(0, "Usage: cursor-exporter [-hV]", new String[]{"--help"}),
                new Case(0, "cursor-exporter, version ", new String[]{"--version"}),
                new Case(0, "cursor-exporter, version ", new String[]{"simulate", "--version"}),
                new Case(2, "cursor-exporter serve: Unknown option: '--frob'", new String[]{"serve", "--frob"}),
                new Case(2, "cursor-exporter: Invalid value for option '--log.format': must be one of text, logfmt, "
                        + "json, got 'yaml'", new String[]{"--log.format=yaml"}))) {
            Path log = Files.createTempFile(dir, "cli", ".log");
            assertEquals(c.code(), JarProcess.run(env, log, Duration.ofSeconds(60), c.args()), Files.readString(log));
            assertTrue(Files.readString(log).startsWith(c.start()), Files.readString(log));
            assertFalse(Files.exists(data), "data dir made by " + List.of(c.args()));
        }
        assertUnreachable("127.0.0.1", port);
    }

    private List<String> runUntilSynced(Map<String, String> env, int port, String... args) throws IOException {
        return runUntilSynced(env, port, () -> assertUnreachable("127.0.0.2", port), args);
    }

    /**
     * Starts the jar, waits for /readyz (a snapshot with a synced source), runs {@code check} while it serves, stops
     * it with SIGTERM and returns every line it wrote.
     */
    private List<String> runUntilSynced(Map<String, String> env, int port, Runnable check, String... args)
            throws IOException {
        Path log = dir.resolve("exporter.log");
        Files.deleteIfExists(log);
        String url = "http://127.0.0.1:" + port;
        try (JarProcess jar = JarProcess.start(env, log, args)) {
            Http.await(Duration.ofSeconds(120), "ready", () -> {
                assertTrue(jar.isAlive(), jar.output());
                return Http.isUp(url + "/readyz");
            });
            check.run();
            int exit = jar.terminate(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "SIGTERM stops it cleanly, exit " + exit);
        }
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.size() >= 5, "too few events to mean anything: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("stopped in")), "the shutdown is logged too");
        return lines;
    }

    private static void assertReachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            throw new AssertionError(host + ":" + port + " not reachable: " + e);
        }
    }

    private static void assertUnreachable(String host, int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2_000);
            }
        }, host + ":" + port + " answers");
    }
}

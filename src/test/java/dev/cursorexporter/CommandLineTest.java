package dev.cursorexporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line, in this JVM: help and version of every command, usage errors, invalid values from the
 * environment and YAML, and the precedence of flags. Every case that must not start anything runs with a data
 * directory and a port of its own and checks afterwards that the directory was never made and the port is free;
 * a case that started the exporter would not return at all (the timeout fails it).
 */
class CommandLineTest {
    private static final String NOT_LOCAL = "'192.0.2.1' is not an address of this machine (use one of its "
            + "interfaces' addresses, a loopback address such as 127.0.0.1, or 0.0.0.0 for all)";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Main.run(args, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A data directory and a port for one case, which must be untouched after it. */
    private Map<String, String> untouchedEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString());
        env.put("CURSOR_EXPORTER_PORT", Integer.toString(port));
        return env;
    }

    private void assertNothingTouched(int port) throws IOException {
        assertFalse(Files.exists(dir.resolve("data")), "the data directory was created");
        // bound by the command, the port would still be held: its server only stops with the JVM
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    // ---- help and version: exit 0, printed on standard output, nothing started ---------------------------------

    static Stream<Arguments> help() {
        return Stream.of(
                Arguments.of("--help", "Usage: cursor-exporter [-hV] [--config.check]"),
                Arguments.of("-h", "Usage: cursor-exporter [-hV] [--config.check]"),
                Arguments.of("help", "Usage: cursor-exporter [-hV] [--config.check]"),
                Arguments.of("serve --help", "Usage: cursor-exporter serve [-hV] [--config.file=FILE]"),
                Arguments.of("serve -h", "Usage: cursor-exporter serve [-hV] [--config.file=FILE]"),
                Arguments.of("help serve", "Usage: cursor-exporter serve [-hV] [--config.file=FILE]"),
                Arguments.of("serve --log.level=debug --help", "Usage: cursor-exporter serve [-hV]"),
                Arguments.of("check-config --help", "Usage: cursor-exporter check-config [-hV] [--config.file=FILE]"),
                Arguments.of("help check-config", "Usage: cursor-exporter check-config [-hV]"),
                Arguments.of("simulate --help", "Usage: cursor-exporter simulate [options]\n"
                        + "Serves a synthetic Cursor team Admin API"),
                Arguments.of("simulate -h", "Usage: cursor-exporter simulate [options]"),
                Arguments.of("rotate-user-label-salt --help", "Usage: cursor-exporter rotate-user-label-salt [-hV]"),
                Arguments.of("migrate-store --help", "Usage: cursor-exporter migrate-store [-hV] [--replace]"),
                Arguments.of("help rotate-user-label-salt", "Usage: cursor-exporter rotate-user-label-salt [-hV]"),
                Arguments.of("help simulate", "Usage: cursor-exporter simulate [-V]\nRun the Cursor API simulator standalone "
                        + "(simulate --help for its options)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("help")
    void helpPrintsUsageAndStartsNothing(String args, String usageStart) throws IOException {
        int port = freePort();
        Run run = run(untouchedEnv(port), args.split(" "));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith(usageStart), run.out());
        assertEquals("", run.err());
        assertNothingTouched(port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void versionPrintsTheBuildAndStartsNothing(String args) throws IOException {
        int port = freePort();
        Run run = run(untouchedEnv(port), args.split(" "));
        assertEquals(0, run.code(), run.err());
        assertEquals("cursor-exporter, version " + BuildInfo.version() + " (revision " + BuildInfo.revision() + ")\n",
                run.out());
        assertFalse(BuildInfo.version().equals("unknown"), "the build stamps the version");
        assertEquals("", run.err());
        assertNothingTouched(port);
    }

    static Stream<String> versionPrintsTheBuildAndStartsNothing() {
        return Stream.of("--version", "-V", "serve --version", "serve -V", "check-config --version",
                "check-config -V", "simulate --version", "simulate -V", "rotate-user-label-salt --version", "migrate-store --version", "--log.format=json --version",
                "--web.listen-address=:9464 serve --version");
    }

    // ---- usage errors: exit 2, the problem and a usage line on standard error, nothing started -----------------

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("--frob", "cursor-exporter: Unknown option: '--frob'"),
                Arguments.of("frobnicate", "cursor-exporter: Unmatched argument at index 0: 'frobnicate'"),
                Arguments.of("serve --frob", "cursor-exporter serve: Unknown option: '--frob'"),
                Arguments.of("serve extra", "cursor-exporter serve: Unmatched argument at index 1: 'extra'"),
                Arguments.of("serve --help=yes", "cursor-exporter serve: Invalid value for option '--help': 'yes' is not a "
                        + "boolean"),
                Arguments.of("check-config --frob", "cursor-exporter check-config: Unknown option: '--frob'"),
                Arguments.of("rotate-user-label-salt --frob",
                        "cursor-exporter rotate-user-label-salt: Unknown option: '--frob'"),
                Arguments.of("--config.check --frob", "cursor-exporter: Unknown option: '--frob'"),
                Arguments.of("--log.level=loud",
                        "cursor-exporter: Invalid value for option '--log.level': must be one of error, warn, info, "
                                + "debug, got 'loud'"),
                Arguments.of("--log.level", "cursor-exporter: Missing required parameter for option '--log.level' "
                        + "(LEVEL)"),
                Arguments.of("serve --log.format=xml",
                        "cursor-exporter serve: Invalid value for option '--log.format': must be one of text, logfmt, "
                                + "json, got 'xml'"),
                Arguments.of("--web.listen-address=9464",
                        "cursor-exporter: Invalid value for option '--web.listen-address': must be [host]:port, like "
                                + ":9464 or 127.0.0.1:9464, got '9464'"),
                Arguments.of("--web.listen-address=::1:9464",
                        "cursor-exporter: Invalid value for option '--web.listen-address': must be [host]:port, like "
                                + ":9464 or 127.0.0.1:9464, got '::1:9464'"),
                Arguments.of("serve --web.listen-address=:0",
                        "cursor-exporter serve: Invalid value for option '--web.listen-address': the port must be "
                                + "from 1 to 65535, got ':0'"),
                Arguments.of("--web.listen-address=192.0.2.1:9464",
                        "cursor-exporter: Invalid value for option '--web.listen-address': the host " + NOT_LOCAL),
                Arguments.of("check-config --web.listen-address=http://x:1",
                        "cursor-exporter check-config: Invalid value for option '--web.listen-address': must be "
                                + "[host]:port, like :9464 or 127.0.0.1:9464, got 'http://x:1'"),
                Arguments.of("check-config --web.listen-address=x/y:1",
                        "cursor-exporter check-config: Invalid value for option '--web.listen-address': the host "
                                + "must be a host name or IP address, without scheme or path, got 'x/y'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorsExit2BeforeAnythingIsTouched(String args, String problem) throws IOException {
        int port = freePort();
        Run run = run(untouchedEnv(port), args.split(" "));
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals(problem, lines.get(0));
        String command = problem.substring(0, problem.indexOf(':'));
        assertTrue(lines.get(1).startsWith("Usage: " + command + " [-hV]"), run.err());
        assertEquals("Try '" + command + " --help' for more information.", lines.get(lines.size() - 1));
        assertNothingTouched(port);
    }

    /** The simulator parses its own options, with its own words, and refuses before it opens a port. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void simulateRefusesBadOptionsWithExit2(String args, String problem) {
        Run run = run(Map.of(), args.split(" "));
        assertEquals(2, run.code(), run.err());
        assertEquals(problem, run.err().lines().findFirst().orElseThrow());
        assertTrue(run.err().contains("Usage: cursor-exporter simulate [options]"), run.err());
    }

    static Stream<Arguments> simulateRefusesBadOptionsWithExit2() {
        return Stream.of(
                Arguments.of("simulate --frob 1", "simulate: unknown option --frob"),
                Arguments.of("simulate --port x", "simulate: --port expects an integer, got 'x'"));
    }

    // ---- invalid values from the environment and YAML: exit 1 naming the key, nothing started ---------------

    static Stream<Arguments> invalidConfiguration() {
        return Stream.of(
                Arguments.of(Map.of("CURSOR_EXPORTER_LOG_LEVEL", "loud"), "",
                        "CURSOR_EXPORTER_LOG_LEVEL: must be one of error, warn, info, debug, got 'loud'"),
                Arguments.of(Map.of("CURSOR_EXPORTER_LOG_FORMAT", "xml"), "",
                        "CURSOR_EXPORTER_LOG_FORMAT: must be one of text, logfmt, json, got 'xml'"),
                Arguments.of(Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "192.0.2.1"), "",
                        "CURSOR_EXPORTER_BIND_ADDRESS: " + NOT_LOCAL),
                Arguments.of(Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "127.0.0.1:9464"), "",
                        "CURSOR_EXPORTER_BIND_ADDRESS: must be an address without a port (the port is a setting of "
                                + "its own), got '127.0.0.1:9464'"),
                Arguments.of(Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "no such host!"), "",
                        "CURSOR_EXPORTER_BIND_ADDRESS: must be a host name or IP address, got 'no such host!'"),
                Arguments.of(Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "300.1.1.1"), "",
                        "CURSOR_EXPORTER_BIND_ADDRESS: is not a valid IP address, got '300.1.1.1'"),
                Arguments.of(Map.of(), "log:\n  format: xml\n",
                        "log.format: must be one of text, logfmt, json, got 'xml'"),
                Arguments.of(Map.of(), "log:\n  level: trace\n",
                        "log.level: must be one of error, warn, info, debug, got 'trace'"),
                Arguments.of(Map.of(), "server:\n  bind_address: 192.0.2.1\n",
                        "server.bind_address: " + NOT_LOCAL));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidConfiguration")
    void invalidValuesExit1NamingTheKeyBeforeAnythingIsTouched(Map<String, String> variables, String yaml,
                                                               String problem) throws IOException {
        int port = freePort();
        Map<String, String> env = untouchedEnv(port);
        env.putAll(variables);
        if (!yaml.isEmpty()) {
            env.put("CURSOR_EXPORTER_CONFIG", Files.writeString(dir.resolve("c.yaml"), yaml).toString());
        }
        for (String[] args : List.of(new String[0], new String[]{"serve"}, new String[]{"check-config"})) {
            Run run = run(env, args);
            assertEquals(1, run.code(), run.err());
            assertEquals("invalid configuration:\n  " + problem + "\n", run.err());
        }
        assertNothingTouched(port);
    }

    @Test
    void aMissingConfigFileNamesTheFlag() throws IOException {
        int port = freePort();
        Path missing = dir.resolve("missing.yaml");
        Run run = run(untouchedEnv(port), "--config.file=" + missing);
        assertEquals(1, run.code(), run.err());
        assertEquals("invalid configuration:\n  --config.file: cannot read '" + missing + "': no such file\n",
                run.err());
        assertNothingTouched(port);
    }

    // ---- precedence: flag over environment over YAML over default ------------------------------------------------

    static Stream<Arguments> precedence() {
        String yaml = "server:\n  bind_address: 127.0.0.1\nlog:\n  level: warn\n  format: logfmt\n";
        Map<String, String> variables = Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "::1",
                "CURSOR_EXPORTER_PORT", "9100", "CURSOR_EXPORTER_LOG_LEVEL", "error");
        return Stream.of(
                Arguments.of("defaults", "", Map.of(), "check-config",
                        "listen address: 0.0.0.0:9464 (all interfaces)", "log: text, level info"),
                Arguments.of("YAML", yaml, Map.of(), "check-config",
                        "listen address: 127.0.0.1:9464", "log: logfmt, level warn"),
                Arguments.of("environment over YAML", yaml, variables, "check-config",
                        "listen address: [::1]:9100", "log: logfmt, level error"),
                Arguments.of("flags over both", yaml, variables,
                        "check-config --web.listen-address=127.0.0.1:9200 --log.level=debug --log.format=json",
                        "listen address: 127.0.0.1:9200", "log: json, level debug"),
                Arguments.of("a port alone means all interfaces, over the variable", yaml, variables,
                        "check-config --web.listen-address=:9300",
                        "listen address: 0.0.0.0:9300 (all interfaces)", "log: logfmt, level error"),
                Arguments.of("flags before the command apply to it", yaml, variables,
                        "--log.level=info --web.listen-address=[::1]:9400 check-config",
                        "listen address: [::1]:9400", "log: logfmt, level info"),
                Arguments.of("a flag after the command wins over the same before it", yaml, variables,
                        "--log.level=info check-config --log.level=debug",
                        "listen address: [::1]:9100", "log: logfmt, level debug"),
                Arguments.of("--config.check", "", Map.of(), "--config.check --log.format=json",
                        "listen address: 0.0.0.0:9464 (all interfaces)", "log: json, level info"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void flagsWinOverTheEnvironmentWhichWinsOverYaml(String name, String yaml, Map<String, String> variables,
                                                     String args, String listen, String log) throws IOException {
        Map<String, String> env = new HashMap<>(variables);
        env.put("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString());
        if (!yaml.isEmpty()) {
            env.put("CURSOR_EXPORTER_CONFIG", Files.writeString(dir.resolve("c.yaml"), yaml).toString());
        }
        Run run = run(env, args.split(" "));
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("configuration OK", lines.get(0));
        assertTrue(lines.contains(listen), run.out());
        assertTrue(lines.contains(log), run.out());
    }

    @Test
    void theConfigFileFlagWinsOverTheVariable() throws IOException {
        Path fromVariable = Files.writeString(dir.resolve("variable.yaml"), "log:\n  level: warn\n");
        Path fromFlag = Files.writeString(dir.resolve("flag.yaml"), "log:\n  level: debug\n");
        Run run = run(Map.of("CURSOR_EXPORTER_CONFIG", fromVariable.toString(),
                "CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString()), "check-config", "--config.file", fromFlag.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().lines().toList().contains("log: text, level debug"), run.out());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.cursorexporter.testing;

import dev.cursorexporter.simulator.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built exporter jar run as a separate process, as a user would run it. */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private JarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The jar Maven built ({@code exporter.jar} system property, set by the failsafe configuration). */
    public static Path jar() {
        String path = System.getProperty("exporter.jar", "target/cursor-exporter.jar");
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("exporter jar not built: " + jar + " (run ./mvnw verify)");
        }
        return jar;
    }

    public static JarProcess start(Map<String, String> env, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Only what the test says: no CURSOR_* leaking in from the machine running the tests.
        pb.environment().keySet().removeIf(k -> k.startsWith("CURSOR_"));
        pb.environment().putAll(env);
        try {
            return new JarProcess(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the jar to completion and returns its exit code; output goes to {@code log}. */
    public static int run(Map<String, String> env, Path log, Duration timeout, String... args) {
        try (JarProcess p = start(env, log, args)) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("jar did not finish within " + timeout);
            }
            return p.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The environment of a jar polling {@code sim}: its key and URL, a free port, the store in {@code dir/data},
     * the simulator's directory, and the exporter's own request budgets lifted, because these tests run the
     * simulator with its rate limits off and must not wait minutes. Mutable, so a test can add to it.
     */
    public static Map<String, String> simulatorEnv(Simulator sim, Path dir, int backfillDays) throws IOException {
        Path directory = dir.resolve("directory.csv");
        Files.writeString(directory, sim.directoryCsv());
        Path config = dir.resolve("unpaced.yaml");
        Files.writeString(config, "sync:\n  rate_limits:\n    admin: 1000\n    usage_events: 1000\n"
                + "    analytics_team: 1000\n    ai_code: 1000\n");
        Map<String, String> env = new HashMap<>();
        env.put("CURSOR_API_KEY", sim.apiKey());
        env.put("CURSOR_API_BASE_URL", sim.baseUrl().toString());
        env.put("CURSOR_EXPORTER_PORT", Integer.toString(freePort()));
        env.put("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString());
        env.put("CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(backfillDays));
        env.put("CURSOR_EXPORTER_DIRECTORY_FILE", directory.toString());
        env.put("CURSOR_EXPORTER_CONFIG", config.toString());
        return env;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operating-system process id, e.g. for {@code /proc/<pid>/status} or {@code jcmd}. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM, then waits; returns the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

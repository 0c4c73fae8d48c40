package dev.cursorexporter.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Prometheus tools for tests: found on the PATH (or in /usr/bin); a test is skipped when the tool is missing
 * on a developer machine, and fails when it is missing in CI ({@code CI=true}), where .ci/run installs it.
 */
public final class RealTools {
    private RealTools() {
    }

    public record Result(int exitCode, String output) {
    }

    /** The tool's path, or the test is aborted (skipped) outside CI / failed in CI. */
    public static Path require(String tool) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, tool));
            }
        }
        candidates.add(Path.of("/usr/bin", tool));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = tool + " is not installed (Debian: apt-get install --no-install-recommends prometheus)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + "; CI must have it");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** Runs a command to completion (bounded), stdout and stderr together. */
    public static Result run(Path workDir, long timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

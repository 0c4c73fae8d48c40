package dev.cursorexporter.bench;

import dev.cursorexporter.testing.JarProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the built jar as the jar-driving benchmark parts run it: with given JVM flags, as in the Dockerfile. */
final class ExporterJar {
    private ExporterJar() {
    }

    /**
     * @param jvmFlags flags before {@code -jar} (e.g. the container's)
     * @param env      the exporter's environment; no other {@code CURSOR_*} variable reaches it
     * @param log      stdout and stderr, appended
     */
    static Process start(List<String> jvmFlags, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JarProcess.jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("CURSOR_"));
        pb.environment().put("MALLOC_ARENA_MAX", MemoryFootprintIT.MALLOC_ARENA_MAX); // as in the Dockerfile
        pb.environment().putAll(env);
        return pb.start();
    }
}

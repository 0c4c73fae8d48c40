package dev.cursorexporter;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a command reads and writes besides its arguments: the environment and the two streams. Passed in, so that
 * tests run the command line in the test's JVM with a made-up environment and capture what it prints.
 *
 * @param env the process environment ({@code System.getenv()})
 * @param out command output (summaries, help, version)
 * @param err problems and usage errors; the log goes to the process's standard error on its own
 */
record CommandContext(Map<String, String> env, PrintStream out, PrintStream err) {
    CommandContext {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }
}

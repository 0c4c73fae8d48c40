package dev.cursorexporter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

/**
 * A command whose own parser reads its arguments ({@code simulate}: {@code SimulatorCli}), which prints its own help
 * and refuses unknown options with exit 2 before it starts anything; only {@code --version} is answered here, like
 * every command's. Main names it and gives its one-line description.
 */
@Command(versionProvider = VersionProvider.class)
final class PassThroughCommand implements Callable<Integer> {
    private final ToIntFunction<String[]> run;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    /** @param run runs the command on its arguments (those after its name) and returns the exit code */
    PassThroughCommand(ToIntFunction<String[]> run) {
        this.run = Objects.requireNonNull(run, "run");
    }

    @Override
    public Integer call() {
        return run.applyAsInt(arguments.toArray(String[]::new));
    }
}

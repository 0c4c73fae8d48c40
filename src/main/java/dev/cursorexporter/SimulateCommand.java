package dev.cursorexporter;

import dev.cursorexporter.simulator.SimulatorCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: the simulator's own parser ({@link SimulatorCli}) reads its options, prints its help and refuses
 * unknown ones with exit 2 before it opens a port; only {@code --version} is answered here, like every command's.
 */
@Command(name = "simulate", versionProvider = VersionProvider.class,
        description = "Run the Cursor API simulator standalone (simulate --help for its options).")
final class SimulateCommand implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    SimulateCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return SimulatorCli.run(arguments.toArray(String[]::new), context.out(), context.err());
    }
}

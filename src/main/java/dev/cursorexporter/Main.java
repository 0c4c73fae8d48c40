package dev.cursorexporter;

import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.simulator.SimulatorCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

/**
 * Command line: {@code serve} (also no command), {@code check-config} (also {@code --config.check}) and
 * {@code simulate}, each with {@code --help} and {@code --version}. Everything is parsed, and every flag's value
 * checked, before a command starts anything. Exit codes: 0 ok, 1 invalid configuration, 2 usage error, 3 failed to
 * start.
 */
@Command(name = "cursor-exporter", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prometheus exporter and Grafana datasource backend for Cursor team usage and spend.",
        footer = {"", "Flags win over environment variables, which win over the YAML file (README, Configuration).",
                "Exit codes: 0 ok, 1 invalid configuration, 2 usage error, 3 failed to start."})
public final class Main implements Callable<Integer> {
    static final int INVALID_CONFIG = 1;
    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int FAILED_TO_START = 3;
    /** Wide enough for a flag and its value on one line of the synopsis. */
    private static final int USAGE_WIDTH = 100;

    private final CommandContext context;

    @Mixin
    ConfigOptions options;

    @Option(names = "--config.check", description = "Validate the configuration and exit, as check-config does.")
    boolean configCheck;

    private Main(CommandContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandContext context = new CommandContext(env, out, err);
        // A new command is one line here: a @Command class implementing Callable<Integer>, or, for a command with
        // a parser of its own taking String[] and returning the exit code, passThrough(name, description, run).
        CommandLine commandLine = new CommandLine(new Main(context))
                .addSubcommand(new ServeCommand(context))
                .addSubcommand(new CheckConfigCommand(context))
                .addSubcommand(passThrough("simulate", "Run the Cursor API simulator standalone (simulate --help for "
                        + "its options).", arguments -> SimulatorCli.run(arguments, out, err)))
                .addSubcommand(new RotateSaltCommand(context))
                .addSubcommand(new MigrateStoreCommand(context))
                .addSubcommand(new CommandLine.HelpCommand());
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler(Main::usageError);
        return commandLine.execute(args);
    }

    /** A {@link PassThroughCommand} named {@code name}, with {@code description} in the help. */
    private static CommandLine passThrough(String name, String description, ToIntFunction<String[]> run) {
        CommandLine command = new CommandLine(new PassThroughCommand(run));
        command.getCommandSpec().name(name).usageMessage().description(description);
        return command;
    }

    /** No command: serve, or check the configuration with {@code --config.check}. */
    @Override
    public Integer call() {
        return configCheck ? CheckConfigCommand.check(context, options.flags())
                : ServeCommand.serve(context, options.flags());
    }

    /**
     * A bad argument: what is wrong, the command's usage line and where to read more, on standard error; the full
     * help would push the problem out of sight.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        err.print("Usage: " + command.getHelp().synopsis(0));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    static void printProblems(ConfigException e, PrintStream err) {
        err.println("invalid configuration:");
        e.problems().forEach(p -> err.println("  " + p));
    }
}

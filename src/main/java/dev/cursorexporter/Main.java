package dev.cursorexporter;

import dev.cursorexporter.config.ConfigDescription;
import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.directory.CsvDirectory;
import dev.cursorexporter.directory.DirectoryLoad;
import dev.cursorexporter.simulator.SimulatorCli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code serve} (the default), {@code check-config} (also {@code --config.check}) and
 * {@code simulate}. Exit codes: 0 ok, 1 invalid configuration, 2 usage error, 3 failed to start.
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar cursor-exporter.jar [serve | check-config | simulate [options] | help]
              serve         poll Cursor (or the built-in simulator when no CURSOR_API_KEY is set) and serve
                            /metrics on CURSOR_EXPORTER_PORT (default 9464); the default command
              check-config  validate the configuration (CURSOR_EXPORTER_CONFIG file + environment) and exit
              simulate      run the Cursor API simulator standalone (simulate --help for its options)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "serve":
                return serve(env, err);
            case "check-config":
            case "--config.check":
                return checkConfig(env, out, err);
            case "simulate":
                return SimulatorCli.run(rest);
            case RotateSaltCommand.NAME:
                return RotateSaltCommand.run(rest, env, out, err);
            case "help":
            case "--help":
            case "-h":
                out.print(USAGE);
                return 0;
            default:
                err.println("unknown command '" + command + "'");
                err.print(USAGE);
                return 2;
        }
    }

    private static int checkConfig(Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            ExporterConfig config = ConfigLoader.load(env);
            if (config.directory().file().isPresent()) {
                DirectoryLoad directory = CsvDirectory.load(config.directory().file().get());
                if (!directory.problems().isEmpty()) {
                    err.println("invalid directory rows (the other rows are applied):");
                    directory.problems().forEach(p -> err.println("  " + p));
                    return 1;
                }
            }
            out.println("configuration OK");
            out.println(config.demo()
                    ? ConfigDescription.describe(DemoMode.effective(config, Optional.empty()),
                            Optional.of(DemoMode.description(config, Optional.empty())))
                    : ConfigDescription.describe(config));
            return 0;
        } catch (ConfigException e) {
            printProblems(e, err);
            return 1;
        } catch (IOException e) {
            err.println("invalid configuration:");
            err.println("  " + e.getMessage());
            return 1;
        }
    }

    private static int serve(Map<String, String> env, PrintStream err) {
        ExporterConfig config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            printProblems(e, err);
            return 1;
        }
        App app;
        try {
            app = App.start(config, Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            err.println("cursor-exporter failed to start: " + e.getMessage());
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void printProblems(ConfigException e, PrintStream err) {
        err.println("invalid configuration:");
        e.problems().forEach(p -> err.println("  " + p));
    }
}

package dev.cursorexporter;

import dev.cursorexporter.config.ConfigDescription;
import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigFlag;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.directory.CsvDirectory;
import dev.cursorexporter.directory.DirectoryLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code check-config} (also {@code --config.check}): validates the configuration and prints its summary. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Validate the configuration (YAML file, environment and flags) and the directory file, print "
                + "the configuration and exit: 0 valid, 1 invalid.")
final class CheckConfigCommand implements Callable<Integer> {
    private final CommandContext context;

    @ParentCommand
    Main parent;

    @Mixin
    ConfigOptions options;

    CheckConfigCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return check(context, ConfigOptions.merged(parent == null ? null : parent.options, options));
    }

    static int check(CommandContext context, List<ConfigFlag> flags) {
        try {
            ExporterConfig config = ConfigLoader.load(context.env(), flags);
            if (config.directory().file().isPresent()) {
                DirectoryLoad directory = CsvDirectory.load(config.directory().file().get());
                if (!directory.problems().isEmpty()) {
                    context.err().println("invalid directory rows (the other rows are applied):");
                    directory.problems().forEach(p -> context.err().println("  " + p));
                    return Main.INVALID_CONFIG;
                }
            }
            context.out().println("configuration OK");
            context.out().println(config.demo()
                    ? ConfigDescription.describe(DemoMode.effective(config, Optional.empty()),
                            Optional.of(DemoMode.description(config, Optional.empty())))
                    : ConfigDescription.describe(config));
            return 0;
        } catch (ConfigException e) {
            Main.printProblems(e, context.err());
            return Main.INVALID_CONFIG;
        } catch (IOException e) {
            context.err().println("invalid configuration:");
            context.err().println("  " + e.getMessage());
            return Main.INVALID_CONFIG;
        }
    }
}

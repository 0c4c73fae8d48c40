package dev.cursorexporter;

import dev.cursorexporter.config.ConfigFlag;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.logging.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code serve}, the default command: runs the exporter until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Poll Cursor (or the built-in simulator when no CURSOR_API_KEY is set) and serve /metrics "
                + "and the API until stopped. The default command.")
final class ServeCommand implements Callable<Integer> {
    private final CommandContext context;

    @ParentCommand
    Main parent;

    @Mixin
    ConfigOptions options;

    ServeCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return serve(context, ConfigOptions.merged(parent == null ? null : parent.options, options));
    }

    static int serve(CommandContext context, List<ConfigFlag> flags) {
        Optional<ExporterConfig> loaded = ConfigOptions.loadOrReport(context, flags);
        if (loaded.isEmpty()) {
            return Main.INVALID_CONFIG;
        }
        ExporterConfig config = loaded.get();
        LogSetup.apply(config.log());
        ReloadSignal hangup = ReloadSignal.install();
        App app;
        try {
            // a reload reads the configuration as this start did: the same environment and flags
            app = App.start(config, Clock.systemUTC(),
                    AppOptions.defaults().reloadingFrom(() -> ConfigLoader.load(context.env(), flags)));
        } catch (IOException | RuntimeException e) {
            context.err().println("cursor-exporter failed to start: " + e.getMessage());
            return Main.FAILED_TO_START;
        }
        hangup.reloadWith(() -> app.reload("SIGHUP"));
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
}

package dev.cursorexporter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.cursorexporter.config.LogConfig;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Points logback at the configured level and format, once the configuration is read (until then logback.xml's text
 * at info applies). Every event goes to standard error, as before; standard output stays for command output
 * (check-config, --help, --version).
 */
public final class LogSetup {
    /**
     * Libraries that report every start and connection at info: at warn unless the configured level is stricter,
     * so that their problems still show and their chatter does not.
     */
    static final List<String> QUIET = List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari",
            "org.flywaydb", "okhttp3");

    private LogSetup() {
    }

    /** Replaces logback's appenders with one writing {@code config}'s format at its level. */
    public static void apply(LogConfig config) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J backend on the class path (a test's): it keeps its own settings
        }
        context.reset();
        LayoutBase<ILoggingEvent> layout = switch (config.format()) {
            case TEXT -> new TextLayout();
            case LOGFMT -> new LogfmtLayout();
            case JSON -> new JsonLayout();
        };
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        Level level = level(config.level());
        root.setLevel(level);
        Level quiet = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
        QUIET.forEach(name -> context.getLogger(name).setLevel(quiet));
    }

    static Level level(LogConfig.Level level) {
        return switch (level) {
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARN;
            case INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
        };
    }
}

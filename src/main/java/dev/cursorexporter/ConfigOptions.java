package dev.cursorexporter;

import dev.cursorexporter.config.BindAddress;
import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigFlag;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.LogConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The exporter-style flags of {@code serve} and {@code check-config}, each standing in for an environment variable
 * and winning over it (flag, environment, YAML, default). Their values are checked while the command line is
 * parsed, so that a bad one is a usage error (exit 2) before anything is opened; the loader reads them again like
 * the variables and names the flag in any problem.
 */
final class ConfigOptions {
    @Option(names = "--web.listen-address", paramLabel = "[HOST]:PORT", converter = ListenAddressConverter.class,
            description = "Address to listen on for /metrics and the API, e.g. 127.0.0.1:9464 or :9464 for all "
                    + "interfaces (the OTLP receiver listens on the same host). "
                    + "Env: CURSOR_EXPORTER_BIND_ADDRESS and CURSOR_EXPORTER_PORT.")
    ListenAddress listenAddress;

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "YAML configuration file. Env: CURSOR_EXPORTER_CONFIG.")
    String configFile;

    @Option(names = "--log.level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "Least severe level logged: error, warn, info or debug (default info). "
                    + "Env: CURSOR_EXPORTER_LOG_LEVEL.")
    String logLevel;

    @Option(names = "--log.format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "Log format: text, logfmt or json, one event per line (default text). "
                    + "Env: CURSOR_EXPORTER_LOG_FORMAT.")
    String logFormat;

    /** The flags given, in place of their variables. */
    List<ConfigFlag> flags() {
        List<ConfigFlag> flags = new ArrayList<>();
        if (listenAddress != null) {
            flags.add(new ConfigFlag("--web.listen-address", ConfigFlag.PORT, Integer.toString(listenAddress.port())));
            // ":9464" asks for all interfaces, also over a CURSOR_EXPORTER_BIND_ADDRESS in the environment
            flags.add(new ConfigFlag("--web.listen-address", ConfigFlag.BIND_ADDRESS,
                    listenAddress.host().orElse(BindAddress.ALL_INTERFACES)));
        }
        if (configFile != null) {
            flags.add(new ConfigFlag("--config.file", ConfigFlag.CONFIG_FILE, configFile));
        }
        if (logLevel != null) {
            flags.add(new ConfigFlag("--log.level", ConfigFlag.LOG_LEVEL, logLevel));
        }
        if (logFormat != null) {
            flags.add(new ConfigFlag("--log.format", ConfigFlag.LOG_FORMAT, logFormat));
        }
        return flags;
    }

    /**
     * The configuration from the environment, the YAML file and {@code flags}; empty once its problems went to
     * standard error (the command then exits {@link Main#INVALID_CONFIG}).
     */
    static Optional<ExporterConfig> loadOrReport(CommandContext context, List<ConfigFlag> flags) {
        try {
            return Optional.of(ConfigLoader.load(context.env(), flags));
        } catch (ConfigException e) {
            Main.printProblems(e, context.err());
            return Optional.empty();
        }
    }

    /** The flags of a parent command followed by these, so that a flag given after the subcommand wins. */
    static List<ConfigFlag> merged(ConfigOptions parent, ConfigOptions own) {
        List<ConfigFlag> flags = new ArrayList<>(parent == null ? List.of() : parent.flags());
        flags.addAll(own.flags());
        return flags;
    }

    /** {@code --web.listen-address}: no host means all interfaces. */
    record ListenAddress(Optional<String> host, int port) {
    }

    /** {@code [host]:port}, the host as {@link BindAddress} takes it (an IPv6 one in brackets). */
    static final class ListenAddressConverter implements CommandLine.ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            String host = colon < 0 ? "" : value.substring(0, colon);
            String portText = colon < 0 ? "" : value.substring(colon + 1);
            if (colon < 0 || !portText.matches("\\d{1,5}") || (host.contains(":") && !host.startsWith("["))) {
                throw new CommandLine.TypeConversionException("must be [host]:port, like :9464 or 127.0.0.1:9464, "
                        + "got '" + value + "'");
            }
            int port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw new CommandLine.TypeConversionException("the port must be from 1 to 65535, got '" + value + "'");
            }
            if (host.isEmpty()) {
                return new ListenAddress(Optional.empty(), port);
            }
            try {
                return new ListenAddress(Optional.of(BindAddress.parse(host)), port);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("the host " + e.getMessage());
            }
        }
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return oneOf(LogConfig.Level.values(), value);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return oneOf(LogConfig.Format.values(), value);
        }
    }

    /** The value when it names one of {@code constants} in any case; the same words as the loader's refusal. */
    private static String oneOf(Enum<?>[] constants, String value) {
        for (Enum<?> constant : constants) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return value.trim();
            }
        }
        throw new CommandLine.TypeConversionException("must be one of " + Arrays.stream(constants)
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", got '" + value + "'");
    }
}

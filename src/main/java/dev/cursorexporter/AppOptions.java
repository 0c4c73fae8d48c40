package dev.cursorexporter;

import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.ClientSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the exporter talks to Cursor, beyond what the configuration file says: tests pass tiny retry delays and a
 * rate-limit window scaled down together with the simulator's, so they exercise the real code without waiting
 * real minutes.
 *
 * @param clientSettings  page sizes, timeouts, retry policy of every Cursor client
 * @param rateLimitWindow the window the per-family budgets ({@code sync.rate_limits}) apply to; Cursor's is a minute
 * @param reloadFrom      how a reload (SIGHUP, {@code POST /-/reload}) reads the configuration: as at start
 */
public record AppOptions(ClientSettings clientSettings, Duration rateLimitWindow, ConfigSource reloadFrom) {
    public AppOptions {
        Objects.requireNonNull(clientSettings, "clientSettings");
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        Objects.requireNonNull(reloadFrom, "reloadFrom");
    }

    /** Reads the whole configuration (YAML file, environment, secret files); invalid = every problem, one each. */
    @FunctionalInterface
    public interface ConfigSource {
        ExporterConfig load() throws ConfigException;
    }

    /** Reloads read the process environment, as {@code serve} does without flags. */
    public static AppOptions defaults() {
        return new AppOptions(ClientSettings.defaults(), Duration.ofMinutes(1), () -> ConfigLoader.load(System.getenv()));
    }

    public AppOptions withClientSettings(ClientSettings settings) {
        return new AppOptions(settings, rateLimitWindow, reloadFrom);
    }

    public AppOptions withRateLimitWindow(Duration window) {
        return new AppOptions(clientSettings, window, reloadFrom);
    }

    /** Reloads read the configuration from {@code source}: what the command line started from. */
    public AppOptions reloadingFrom(ConfigSource source) {
        return new AppOptions(clientSettings, rateLimitWindow, source);
    }
}

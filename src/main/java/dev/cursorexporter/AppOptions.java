package dev.cursorexporter;

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
 */
public record AppOptions(ClientSettings clientSettings, Duration rateLimitWindow) {
    public AppOptions {
        Objects.requireNonNull(clientSettings, "clientSettings");
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
    }

    public static AppOptions defaults() {
        return new AppOptions(ClientSettings.defaults(), Duration.ofMinutes(1));
    }

    public AppOptions withClientSettings(ClientSettings settings) {
        return new AppOptions(settings, rateLimitWindow);
    }

    public AppOptions withRateLimitWindow(Duration window) {
        return new AppOptions(clientSettings, window);
    }
}

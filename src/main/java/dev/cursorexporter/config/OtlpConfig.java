package dev.cursorexporter.config;

import dev.cursorexporter.model.Secret;

import java.time.Duration;
import java.util.Optional;

/**
 * The receiver of Cursor's OpenTelemetry Export (YAML {@code otlp:}): a second listener, started only when a token
 * is configured, because Cursor pushes to it from the public internet and an open receiver would let anyone write
 * counters.
 *
 * @param port         its port ({@code CURSOR_EXPORTER_OTLP_PORT}, {@code otlp.port})
 * @param token        the bearer token Cursor sends ({@code CURSOR_EXPORTER_OTLP_TOKEN} / {@code _FILE},
 *                     {@code otlp.token} / {@code otlp.token_file}); empty = no receiver
 * @param maxBodyBytes largest request body, before and after gunzip ({@code CURSOR_EXPORTER_OTLP_MAX_BODY_SIZE},
 *                     {@code otlp.max_body_size})
 * @param silentAfter  how long the receiver may accept nothing before it counts as silent
 *                     ({@code CURSOR_EXPORTER_OTLP_SILENT_AFTER}, {@code otlp.silent_after}), published as
 *                     {@code cursor_exporter_otlp_silent_after_seconds} for the CursorOtlpSilent alert
 */
public record OtlpConfig(int port, Optional<Secret> token, long maxBodyBytes, Duration silentAfter) {

    /** With the default {@link #silentAfter()}. */
    public OtlpConfig(int port, Optional<Secret> token, long maxBodyBytes) {
        this(port, token, maxBodyBytes, ConfigKeys.OTLP_SILENT_AFTER.defaultValue());
    }

    /** Whether the receiver runs. */
    public boolean enabled() {
        return token.isPresent();
    }
}

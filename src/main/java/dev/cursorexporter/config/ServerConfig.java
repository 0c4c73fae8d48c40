package dev.cursorexporter.config;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.Secret;

import java.util.Optional;

/**
 * The exporter's own HTTP server (YAML {@code server:}).
 *
 * @param port        HTTP port ({@code CURSOR_EXPORTER_PORT}, {@code server.port})
 * @param authToken   bearer token for every endpoint but /healthz and /readyz ({@code CURSOR_EXPORTER_AUTH_TOKEN} / {@code _FILE},
 *                    {@code server.auth_token} / {@code server.auth_token_file}); empty = open
 * @param basicAuth   basic auth for every endpoint but /healthz and /readyz, accepted besides the bearer token
 *                    ({@code CURSOR_EXPORTER_BASIC_AUTH_*}, {@code server.basic_auth})
 * @param bindAddress the address the HTTP server and the OTLP receiver listen on
 *                    ({@code CURSOR_EXPORTER_BIND_ADDRESS}, {@code server.bind_address}); empty = all interfaces
 */
public record ServerConfig(int port, Optional<Secret> authToken, Optional<BasicAuthConfig> basicAuth,
                           Optional<String> bindAddress) {

    /** Listening on all interfaces. */
    public ServerConfig(int port, Optional<Secret> authToken, Optional<BasicAuthConfig> basicAuth) {
        this(port, authToken, basicAuth, Optional.empty());
    }

    /** The host the servers bind: the configured address, else all interfaces. */
    public String host() {
        return bindAddress.orElse(BindAddress.ALL_INTERFACES);
    }
}

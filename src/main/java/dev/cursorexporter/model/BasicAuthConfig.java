package dev.cursorexporter.model;

import dev.cursorexporter.model.Secret;

/**
 * HTTP basic auth for the exporter's own endpoints ({@code CURSOR_EXPORTER_BASIC_AUTH_USER} and
 * {@code _PASSWORD} / {@code _PASSWORD_FILE}, YAML {@code server.basic_auth}).
 *
 * @param user     the user name; never contains {@code :} (RFC 7617)
 * @param password re-read from its file when the file changes
 */
public record BasicAuthConfig(String user, Secret password) {
}

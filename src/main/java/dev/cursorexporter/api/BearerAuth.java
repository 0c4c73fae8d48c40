package dev.cursorexporter.api;

import dev.cursorexporter.config.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} when a token is configured. The comparison takes the same time
 * wherever the first differing byte is, so the token cannot be guessed byte by byte from response times.
 */
final class BearerAuth {
    private final Optional<byte[]> expected;

    BearerAuth(Optional<Secret> token) {
        this.expected = token.map(t -> ("Bearer " + t.reveal()).getBytes(StandardCharsets.UTF_8));
    }

    boolean enabled() {
        return expected.isPresent();
    }

    boolean permits(String authorizationHeader) {
        if (expected.isEmpty()) {
            return true;
        }
        byte[] given = authorizationHeader == null ? new byte[0] : authorizationHeader.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected.get(), given);
    }
}

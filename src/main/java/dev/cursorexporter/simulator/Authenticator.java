package dev.cursorexporter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/** HTTP Basic with the key as user name and an empty password; Bearer only when enabled (REFERENCE.md §1.2). */
final class Authenticator {
    private final byte[] basicCredentials;
    private final byte[] key;
    private final boolean acceptBearer;

    Authenticator(String apiKey, boolean acceptBearer) {
        this.basicCredentials = (apiKey + ":").getBytes(StandardCharsets.UTF_8);
        this.key = apiKey.getBytes(StandardCharsets.UTF_8);
        this.acceptBearer = acceptBearer;
    }

    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space + 1).trim();
        if (scheme.equals("basic")) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
            return MessageDigest.isEqual(decoded, basicCredentials);
        }
        if (scheme.equals("bearer") && acceptBearer) {
            return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), key);
        }
        return false;
    }
}

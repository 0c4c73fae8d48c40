package dev.cursorexporter.api;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks the {@code Authorization} header against the configured bearer token and/or basic-auth credentials;
 * either is accepted when both are configured. Secrets are read at every check, so a rotated secret file applies
 * at once, and so are the credentials themselves when they are given as suppliers (a configuration reload swaps
 * them). Both sides are hashed before the constant-time comparison, so neither the position of the first
 * differing byte nor the secret's length shows in the response time.
 */
public final class HttpAuth {
    private static final String REALM = "realm=\"cursor-exporter\"";

    private final Supplier<Optional<Secret>> tokens;
    private final Supplier<Optional<BasicAuthConfig>> basics;

    public HttpAuth(Optional<Secret> token, Optional<BasicAuthConfig> basic) {
        this(() -> token, () -> basic);
    }

    /** Credentials asked for at every check: the current configuration's. */
    public HttpAuth(Supplier<Optional<Secret>> token, Supplier<Optional<BasicAuthConfig>> basic) {
        this.tokens = token;
        this.basics = basic;
    }

    boolean enabled() {
        return tokens.get().isPresent() || basics.get().isPresent();
    }

    /** The challenges of a 401, one per accepted scheme. */
    List<String> challenges() {
        List<String> out = new ArrayList<>();
        tokens.get().ifPresent(t -> out.add("Bearer " + REALM));
        basics.get().ifPresent(b -> out.add("Basic " + REALM + ", charset=\"UTF-8\""));
        return out;
    }

    /** What a 401 says: the accepted schemes, never what was expected or given. */
    String problem() {
        return "missing or wrong credentials; this endpoint needs " + switch (challenges().size()) {
            case 2 -> "a bearer token or basic auth";
            default -> tokens.get().isPresent() ? "a bearer token" : "basic auth";
        };
    }

    boolean permits(String authorizationHeader) {
        Optional<Secret> token = tokens.get();
        Optional<BasicAuthConfig> basic = basics.get();
        if (token.isEmpty() && basic.isEmpty()) {
            return true;
        }
        if (authorizationHeader == null) {
            return false;
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        // the scheme is case-insensitive (RFC 9110 §11.1); the credentials are not
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = header.substring(space + 1).strip();
        if (scheme.equals("bearer") && token.isPresent()) {
            return sameSecret(token.get().reveal().getBytes(StandardCharsets.UTF_8),
                    credentials.getBytes(StandardCharsets.UTF_8));
        }
        if (scheme.equals("basic") && basic.isPresent()) {
            byte[] given;
            try {
                given = Base64.getDecoder().decode(credentials);
            } catch (IllegalArgumentException e) {
                return false;
            }
            BasicAuthConfig expected = basic.get();
            byte[] wanted = (expected.user() + ":" + expected.password().reveal()).getBytes(StandardCharsets.UTF_8);
            return sameSecret(wanted, given);
        }
        return false;
    }

    private static boolean sameSecret(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "HttpAuth" + challenges();
    }
}

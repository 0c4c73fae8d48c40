package dev.cursorexporter.directory;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of the {@code user} label for a member's e-mail, per {@link UserLabelMode}. The hash mode is an HMAC
 * rather than a plain hash: e-mails are guessable, so without the secret salt anyone could rebuild the mapping.
 * Thread-safe.
 */
public final class UserLabeler {
    /** The label of events without an e-mail (removed members); never hashed so dashboards can single it out. */
    public static final String UNKNOWN = "unknown";

    private static final String HMAC = "HmacSHA256";
    private static final int HEX_CHARS = 16;

    private final UserLabelMode mode;
    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the mode is {@code HASH} and there is no salt */
    public UserLabeler(UserLabelMode mode, Optional<Secret> salt) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode == UserLabelMode.HASH) {
            Secret secret = salt.orElseThrow(() -> new IllegalArgumentException("the hash user label needs a salt"));
            byte[] bytes = secret.reveal().getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("the hash user label needs a non-empty salt");
            }
            this.key = new SecretKeySpec(bytes, HMAC);
        } else {
            this.key = null;
        }
    }

    public UserLabelMode mode() {
        return mode;
    }

    /**
     * @param email any case, surrounding blanks ignored; "" or null for events without an e-mail
     * @return the label value, or empty in mode {@code NONE} (the series carries no {@code user} label)
     */
    public Optional<String> label(String email) {
        if (mode == UserLabelMode.NONE) {
            return Optional.empty();
        }
        String normalized = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty() || normalized.equals(UNKNOWN)) {
            return Optional.of(UNKNOWN);
        }
        return Optional.of(mode == UserLabelMode.EMAIL ? normalized : pseudonym(normalized));
    }

    private String pseudonym(String normalizedEmail) {
        try {
            Mac mac = Mac.getInstance(HMAC); // Mac is stateful; one per call keeps this class thread-safe
            mac.init(key);
            byte[] digest = mac.doFinal(normalizedEmail.getBytes(StandardCharsets.UTF_8));
            return "u_" + HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }
}

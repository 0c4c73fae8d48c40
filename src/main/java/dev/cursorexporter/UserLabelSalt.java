package dev.cursorexporter;

import dev.cursorexporter.config.MetricsConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.StoredSalt;
import dev.cursorexporter.store.UserLabelSalts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Which salt the hash user label uses (issue 16, item 5): the configured one
 * ({@code CURSOR_EXPORTER_USER_LABEL_SALT}, {@code metrics.user_label_salt}) when set; otherwise the one kept in the
 * store, generated at the first start in hash mode. So hash mode needs no hand-made salt, and its pseudonyms stay
 * the same across restarts; a generated salt changes only through {@code rotate-user-label-salt}. Log lines say
 * which salt is used and since when, never the salt.
 */
final class UserLabelSalt {
    private static final Logger LOG = LoggerFactory.getLogger(UserLabelSalt.class);
    /** 256 bits, HMAC-SHA256's own block of key strength. */
    static final int BYTES = 32;

    private final SecureRandom random;

    UserLabelSalt(SecureRandom random) {
        this.random = random;
    }

    /**
     * The salt for the labeler: empty unless the mode is hash. Leaves a stored salt alone when a configured one
     * wins, so that removing the configured salt later brings the stored pseudonyms back.
     */
    Optional<Secret> resolve(MetricsConfig metrics, UserLabelSalts stored) {
        if (metrics.userLabel() != UserLabelMode.HASH) {
            return Optional.empty();
        }
        if (metrics.userLabelSalt().isPresent()) {
            LOG.info("user label: hash with the configured salt (CURSOR_EXPORTER_USER_LABEL_SALT / "
                    + "metrics.user_label_salt){}", stored.current().map(s -> "; the salt generated in the store on "
                    + s.createdAt() + " is not used while one is configured").orElse(""));
            return metrics.userLabelSalt();
        }
        StoredSalt salt = stored.getOrCreate(this::generate);
        if (salt.created()) {
            LOG.info("user label: hash with a salt generated now and kept in the store: pseudonyms stay the same "
                    + "across restarts; rotate-user-label-salt replaces it");
        } else {
            LOG.info("user label: hash with the salt generated in the store on {}", salt.createdAt());
        }
        return Optional.of(salt.salt());
    }

    /** A new random salt: {@value #BYTES} bytes of {@link SecureRandom}, Base64 (URL alphabet, no padding). */
    Secret generate() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}

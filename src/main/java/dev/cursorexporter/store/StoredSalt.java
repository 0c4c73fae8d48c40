package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;

import java.time.Instant;
import java.util.Objects;

/**
 * The user-label salt as stored ({@link UserLabelSalts}); the salt is a {@link Secret}, so this record's
 * {@code toString} never shows it.
 *
 * @param salt      the salt
 * @param createdAt when it was generated (the first start in hash mode, or the last rotation)
 * @param created   whether this call stored it (a first start), rather than reading one stored before
 */
public record StoredSalt(Secret salt, Instant createdAt, boolean created) {
    public StoredSalt {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

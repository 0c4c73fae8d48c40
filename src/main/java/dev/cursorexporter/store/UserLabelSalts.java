package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The salt of the hash user label kept in the store (V15), for when none is configured: one per store, so every
 * start (and every replica on a PostgreSQL store) labels a member with the same pseudonym.
 */
public interface UserLabelSalts {

    /**
     * The stored salt; when there is none, {@code generate}'s is stored and returned. One transaction that inserts
     * only when the row is missing, so two exporters starting at once on one database both get the first one stored.
     */
    StoredSalt getOrCreate(Supplier<Secret> generate);

    /** The stored salt, if any. */
    Optional<StoredSalt> current();

    /** Replaces the stored salt (or stores the first one): every pseudonym made with the old one changes. */
    StoredSalt replace(Secret salt);
}

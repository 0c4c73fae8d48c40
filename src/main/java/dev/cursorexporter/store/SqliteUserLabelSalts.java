package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link UserLabelSalts} on the table of V15 (one row, id 1), on SQLite and PostgreSQL alike. */
final class SqliteUserLabelSalts implements UserLabelSalts {
    private final Database db;

    SqliteUserLabelSalts(Database db) {
        this.db = db;
    }

    @Override
    public StoredSalt getOrCreate(Supplier<Secret> generate) {
        Objects.requireNonNull(generate, "generate");
        return db.write(c -> {
            Optional<StoredSalt> stored = read(c);
            if (stored.isPresent()) {
                return stored.get();
            }
            Secret salt = Objects.requireNonNull(generate.get(), "generated salt");
            Instant now = Instant.now();
            // DO NOTHING, then read again: on PostgreSQL another replica may have stored one since the read above,
            // and the first one stored is everybody's
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO user_label_salt (id, salt, created_at) "
                    + "VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ins.setString(1, nonEmpty(salt));
                ins.setString(2, now.toString());
                boolean inserted = ins.executeUpdate() == 1;
                StoredSalt first = read(c).orElseThrow();
                return new StoredSalt(first.salt(), first.createdAt(), inserted);
            }
        });
    }

    @Override
    public Optional<StoredSalt> current() {
        return db.read(SqliteUserLabelSalts::read);
    }

    @Override
    public StoredSalt replace(Secret salt) {
        String value = nonEmpty(salt);
        Instant now = Instant.now();
        return db.write(c -> {
            try (PreparedStatement up = c.prepareStatement("INSERT INTO user_label_salt (id, salt, created_at) "
                    + "VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET salt = excluded.salt, "
                    + "created_at = excluded.created_at")) {
                up.setString(1, value);
                up.setString(2, now.toString());
                up.executeUpdate();
            }
            return new StoredSalt(salt, now, true);
        });
    }

    private static Optional<StoredSalt> read(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT salt, created_at FROM user_label_salt WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new StoredSalt(new Secret(rs.getString(1)), Instant.parse(rs.getString(2)), false));
        }
    }

    private static String nonEmpty(Secret salt) {
        String value = Objects.requireNonNull(salt, "salt").reveal();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the user-label salt must not be empty");
        }
        return value;
    }
}

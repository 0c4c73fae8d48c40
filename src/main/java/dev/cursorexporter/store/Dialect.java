package dev.cursorexporter.store;

/**
 * The SQL dialect a {@link Database} speaks. The store's SQL is written once where both accept it (most of it:
 * {@code ON CONFLICT} upserts, window functions, CTEs); what differs is asked of the dialect, and each dialect has its
 * own migration scripts with the same versions and descriptions (SQLite: {@code db/migration}, PostgreSQL:
 * {@code db/postgresql}, a sibling and not a sub-folder because Flyway scans a location's sub-folders too).
 */
enum Dialect {
    SQLITE("sqlite", "classpath:db/migration"),
    POSTGRESQL("postgresql", "classpath:db/postgresql");

    private final String kind;
    private final String migrations;

    Dialect(String kind, String migrations) {
        this.kind = kind;
        this.migrations = migrations;
    }

    /** The store kind reported by {@code /api/v1/status}. */
    String kind() {
        return kind;
    }

    /** Flyway location of this dialect's migration scripts. */
    String migrations() {
        return migrations;
    }
}

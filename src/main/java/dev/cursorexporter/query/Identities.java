package dev.cursorexporter.query;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a stored e-mail into the user, team and location values of one computation (memoised: a query touches
 * each e-mail many times). Not thread-safe; one instance per computation.
 */
final class Identities {
    private final Directory directory;
    private final UserLabeler labeler;
    private final Map<String, String[]> byEmail = new HashMap<>();

    Identities(Directory directory, UserLabeler labeler) {
        this.directory = directory;
        this.labeler = labeler;
    }

    /**
     * The user value of the datasource: the user label, except in mode {@code none}, which only drops the label
     * from Prometheus for cardinality; per-user detail is then exactly what the datasource is for.
     */
    static UserLabeler forDatasource(UserLabeler metricsLabeler) {
        return metricsLabeler.mode() == UserLabelMode.NONE
                ? new UserLabeler(UserLabelMode.EMAIL, Optional.empty()) : metricsLabeler;
    }

    /** Values indexed by {@link Dimension#ordinal()}; the model, billing and actor slots may be null. */
    String[] subject(String email, String model, String billing, String actor) {
        String[] base = byEmail.computeIfAbsent(email == null ? "" : email, e -> {
            Assignment a = directory.lookup(e);
            return new String[] {labeler.label(e).orElse(UserLabeler.UNKNOWN), a.team(), a.location()};
        });
        return new String[] {base[0], base[1], base[2], model, billing, actor};
    }
}

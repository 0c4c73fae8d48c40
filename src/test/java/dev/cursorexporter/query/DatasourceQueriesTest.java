package dev.cursorexporter.query;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the user-label modes show on the datasource's member table and values. */
class DatasourceQueriesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
    private static final Directory DIRECTORY = email -> email.equals("dana@example.com")
            ? new Assignment("Platform", "Berlin") : Assignment.DEFAULT;

    @TempDir
    Path dir;

    private List<MemberRow> members(UserLabelMode mode) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.saveMembers("default", List.of(new Member("u1", "Dana@Example.com", "Dana", "owner", false),
                    new Member("u2", "lee@example.com", "Lee", "member", true)), CLOCK.instant());
            UserLabeler labeler = new UserLabeler(mode, mode == UserLabelMode.HASH
                    ? Optional.of(new Secret("salt")) : Optional.empty());
            DatasourceQueries q = new DatasourceQueries(store, store.daily(), () -> DIRECTORY, labeler, CLOCK);
            assertEquals(q.members(List.of()).stream().map(MemberRow::user).sorted().toList(),
                    q.values(Dimension.USER), "user values are the members' user values");
            return q.members(List.of());
        }
    }

    @Test
    void emailModeShowsEmailsNamesAndTeams() {
        List<MemberRow> rows = members(UserLabelMode.EMAIL);
        assertEquals(new MemberRow("default", "dana@example.com", "Dana", "dana@example.com", "Platform", "Berlin",
                "owner", null, null, null, null, false), rows.get(0));
        assertTrue(rows.get(1).removed());
    }

    @Test
    void noneModeStillShowsEmailsBecauseItOnlyKeepsPrometheusSmall() {
        assertEquals("dana@example.com", members(UserLabelMode.NONE).get(0).user());
    }

    @Test
    void hashModeWithholdsNamesAndEmails() {
        for (MemberRow r : members(UserLabelMode.HASH)) {
            assertTrue(r.user().matches("u_[0-9a-f]{16}"), r.user());
            assertNull(r.name());
            assertNull(r.email());
        }
    }
}

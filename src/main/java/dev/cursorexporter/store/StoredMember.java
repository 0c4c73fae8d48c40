package dev.cursorexporter.store;

import java.time.Instant;

/** A member as stored: {@code removed} when flagged by Cursor or absent from the latest member list. */
public record StoredMember(String email, String userId, String name, String role, boolean removed,
                           Instant lastSeen) {
}

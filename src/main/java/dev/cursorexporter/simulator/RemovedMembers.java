package dev.cursorexporter.simulator;

import java.util.Locale;

/** How {@code /teams/members} shows members removed from the team (REFERENCE.md Q7). */
public enum RemovedMembers {
    /** Listed with {@code isRemoved: true}. */
    LISTED,
    /** Not listed at all. */
    ABSENT;

    public static RemovedMembers fromId(String id) {
        return switch (id.trim().toLowerCase(Locale.ROOT)) {
            case "listed" -> LISTED;
            case "absent" -> ABSENT;
            default -> throw new IllegalArgumentException(
                    "unknown removed-members mode '" + id + "' (expected listed or absent)");
        };
    }
}

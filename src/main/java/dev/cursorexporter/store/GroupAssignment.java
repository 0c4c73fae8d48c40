package dev.cursorexporter.store;

import java.util.Objects;

/** The team and location the directory gives one e-mail, as {@link StoreWriter#assignGroups} stores it. */
public record GroupAssignment(String team, String location) {
    public GroupAssignment {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(location, "location");
    }
}

package dev.cursorexporter.model;

import java.time.Instant;
import java.util.List;

/** All pages of {@code POST /teams/spend}; {@code cycleStart} may be null when Cursor omits it. */
public record SpendReport(List<MemberSpend> members, Instant cycleStart) {
    public SpendReport {
        members = List.copyOf(members);
    }
}

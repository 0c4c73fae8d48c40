package dev.cursorexporter.simulator;

import java.util.List;
import java.util.Locale;

/**
 * A synthetic team member.
 *
 * @param index               position in the organisation (stable ordering everywhere)
 * @param email               as listed by {@code /teams/members}; a few are mixed-case
 * @param joinDay             UTC epoch day the membership started (may be before the history)
 * @param removedDay          UTC epoch day the member was removed, {@link #NOT_REMOVED} if still a member;
 *                            events stop the day before
 * @param monthlyLimitDollars per-user spend limit, or null
 * @param clientVersion       editor version, or null when Cursor does not know it
 * @param onDemandShare       fraction of charged events billed as {@code Usage-based}
 * @param byokShare           fraction of events made with the member's own API key
 */
record SimMember(
        int index,
        String id,
        String name,
        String email,
        String role,
        String team,
        String location,
        ActivityLevel level,
        long joinDay,
        long removedDay,
        Integer monthlyLimitDollars,
        String clientVersion,
        String favouriteModel,
        double onDemandShare,
        double byokShare,
        List<String> extensions) {

    static final long NOT_REMOVED = Long.MAX_VALUE;

    boolean removed() {
        return removedDay != NOT_REMOVED;
    }

    /** The e-mail as usage events carry it (lower case); also the identity key in totals. */
    String key() {
        return email.toLowerCase(Locale.ROOT);
    }

    /** Whether the member belonged to the team on that UTC day. */
    boolean memberOn(long epochDay) {
        return epochDay >= joinDay && epochDay < removedDay;
    }
}

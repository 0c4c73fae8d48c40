package dev.cursorexporter.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /teams/groups} for the current billing cycle (REFERENCE.md §2.9): the named groups plus Cursor's
 * reserved {@code Unassigned} group.
 *
 * @param cycleStart {@code billingCycle.cycleStart}, or null when absent
 * @param cycleEnd   {@code billingCycle.cycleEnd}, or null when absent
 */
public record BillingGroups(List<Group> groups, Instant cycleStart, Instant cycleEnd) {

    public BillingGroups {
        groups = List.copyOf(groups);
    }

    /**
     * One billing group.
     *
     * @param unassigned true for the reserved group of members in no group
     * @param spendCents the group's spend this cycle
     * @param members    current members (former members are not kept: their spend stays in the group's total)
     */
    public record Group(String id, String name, boolean unassigned, BigDecimal spendCents, List<GroupMember> members,
                        List<DailySpend> dailySpend) {
        public Group {
            members = List.copyOf(members);
            dailySpend = List.copyOf(dailySpend);
        }
    }

    /** A current member of a group; e-mail lower-cased. */
    public record GroupMember(String userId, String email, BigDecimal spendCents) {
    }

    /** {@code dailySpend[]}: the only per-day spend series Cursor offers. */
    public record DailySpend(LocalDate day, BigDecimal spendCents) {
    }
}

package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the simulated organisation adds up to as of the simulator's "now", computed from the generated model with
 * BigDecimal (never from the JSON it serves). End-to-end tests compare an exporter's output with these numbers.
 *
 * <p>User keys are lower-cased e-mails; events of removed members (which carry no e-mail) count under
 * {@code unknown}, service-account events sent without one under {@code sa:<name or id>}. Event-based values cover every event with timestamp &le; now from {@link #firstDay()} on (the
 * history start, or the retention limit when one is set). Daily-usage values cover current members' rows over the
 * same days. Maps are sorted by key.
 *
 * @param profile                  profile id the figures are expressed in
 * @param nowMs                    "now" of the computation, epoch ms
 * @param firstDay                 first UTC day (YYYY-MM-DD) with usage served
 * @param newestDay                newest UTC day with daily usage (today, partial)
 * @param cycleStartMs             current billing cycle start ({@code subscriptionCycleStart})
 * @param totalEvents              number of usage events (each duplicate counts)
 * @param duplicateEvents          events that are exact copies of the event before them
 * @param eventsWithoutEmail       events of removed members
 * @param totalCostCents           Σ event cost
 * @param costCentsByModel         Σ event cost per model; cost = 0 when kind contains "Not Charged", else
 *                                 {@code chargedCents} (docs-latest) = {@code tokenUsage.totalCents + cursorTokenFee}
 * @param costCentsByUser          Σ event cost per user (users with at least one event)
 * @param costCentsByDay           Σ event cost per UTC day (every day from firstDay to newestDay)
 * @param requestsByBilling        event count per billing class: included, usage_based, byok, not_charged, other
 * @param requestsByModel          event count per model
 * @param requestsByUser           event count per user
 * @param requestsByUserModel      event count per user and model
 * @param tokensByType             Σ tokens: input, output, cache_read, cache_write
 * @param cycleSpendCentsByUser    current members' cycle spend as {@code /teams/spend} reports it (overallSpendCents,
 *                                 or spendCents in observed-2026-01)
 * @param onDemandSpendCentsByUser current members' on-demand spend (spendCents, or spendCents - includedSpendCents)
 * @param cycleSpendCentsByTeam    cycle spend summed per directory team
 * @param spendLimitDollarsByUser  effective per-user limit of members who have one
 * @param membersByRole            current (not removed) members per role
 * @param linesAddedByUser         Σ totalLinesAdded per current member with at least one row
 * @param aiLinesAddedByUser       Σ acceptedLinesAdded
 * @param tabsShownByUser          Σ totalTabsShown
 * @param tabsAcceptedByUser       Σ totalTabsAccepted
 * @param featureRequestsByUser    Σ chat / composer / agent / cmdk / bugbot counts per user
 * @param activeUsers              distinct current members with an active day in the 1d / 7d / 28d ending on
 *                                 newestDay
 * @param activeUsersByTeam        the same per directory team
 * @param aiCodeLinesAddedByUser   AI Code Tracking: committed lines per user (any member with activity, removed
 *                                 ones included) by source tab / composer / non_ai
 * @param aiCodeCommitsByUser      AI Code Tracking: commits per user
 * @param dauByDay                 Analytics {@code dau} per day (distinct members with an event that day)
 * @param modelMessagesByModel     Analytics {@code models}: Σ messages (events) per model over all served days
 * @param agentEditsByOutcome      Analytics {@code agent-edits}: Σ suggested / accepted / rejected diffs
 * @param billingGroupSpendCentsByGroup billing groups: this cycle's spend per group (whole cents per member,
 *                                 summed), {@code Unassigned} included
 * @param billingGroupByUser       billing groups: group name of every current member
 * @param auditEventsByType        audit log: events per {@code event_type} over all served days
 * @param cycleEndMs               billing groups: {@code billingCycle.cycleEnd}
 * @param costCentsByActor         Σ event cost per actor as the exporter labels it ({@code human},
 *                                 {@code cloud_agent}, {@code automation}, {@code service_account}; all
 *                                 {@code human} in observed-2026-01, which sends no caller fields)
 * @param requestsByActor          number of usage events per actor
 */
public record SimulatorTotals(
        String profile,
        long nowMs,
        String firstDay,
        String newestDay,
        long cycleStartMs,
        long totalEvents,
        long duplicateEvents,
        long eventsWithoutEmail,
        BigDecimal totalCostCents,
        Map<String, BigDecimal> costCentsByModel,
        Map<String, BigDecimal> costCentsByUser,
        Map<String, BigDecimal> costCentsByDay,
        Map<String, Long> requestsByBilling,
        Map<String, Long> requestsByModel,
        Map<String, Long> requestsByUser,
        Map<String, Map<String, Long>> requestsByUserModel,
        Map<String, Long> tokensByType,
        Map<String, BigDecimal> cycleSpendCentsByUser,
        Map<String, BigDecimal> onDemandSpendCentsByUser,
        Map<String, BigDecimal> cycleSpendCentsByTeam,
        Map<String, Integer> spendLimitDollarsByUser,
        Map<String, Long> membersByRole,
        Map<String, Long> linesAddedByUser,
        Map<String, Long> aiLinesAddedByUser,
        Map<String, Long> tabsShownByUser,
        Map<String, Long> tabsAcceptedByUser,
        Map<String, Map<String, Long>> featureRequestsByUser,
        Map<String, Integer> activeUsers,
        Map<String, Map<String, Integer>> activeUsersByTeam,
        Map<String, Map<String, Long>> aiCodeLinesAddedByUser,
        Map<String, Long> aiCodeCommitsByUser,
        Map<String, Long> dauByDay,
        Map<String, Long> modelMessagesByModel,
        Map<String, Long> agentEditsByOutcome,
        Map<String, BigDecimal> billingGroupSpendCentsByGroup,
        Map<String, String> billingGroupByUser,
        Map<String, Long> auditEventsByType,
        long cycleEndMs,
        Map<String, BigDecimal> costCentsByActor,
        Map<String, Long> requestsByActor) {

    /** Key used for events whose member has been removed. */
    public static final String UNKNOWN_USER = "unknown";
}

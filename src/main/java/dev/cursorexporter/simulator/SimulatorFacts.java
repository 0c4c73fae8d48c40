package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The simulated organisation's data at its finest grain, as of the simulator's "now", computed from the generated
 * model (never from the JSON it serves), so a test can add up any grouping or filter a board asks for and compare
 * it with the exporter's answer. {@link SimulatorTotals} holds the fixed totals; this holds the rows they sum.
 *
 * @param usage          one row per UTC day, user, model and billing class with at least one event (events with
 *                       timestamp &le; now from {@link SimulatorTotals#firstDay()} on); removed members' events
 *                       under {@link SimulatorTotals#UNKNOWN_USER}
 * @param activity       one row per current member and UTC day of membership from the first day to today
 * @param teamByUser     the directory's team of every member (lower-case e-mail)
 * @param locationByUser the directory's location of every member
 */
public record SimulatorFacts(List<Usage> usage, List<Activity> activity, Map<String, String> teamByUser,
                             Map<String, String> locationByUser) {

    /**
     * Usage events of one day, user, model, billing class and actor, with the exporter's cost rule applied.
     *
     * @param day       UTC day, YYYY-MM-DD
     * @param costCents Σ cost (0 for "Not Charged" kinds)
     * @param actor     {@code human}, {@code cloud_agent}, {@code automation} or {@code service_account}
     */
    public record Usage(String day, String user, String model, String billing, BigDecimal costCents, long requests,
                        long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                        String actor) {
    }

    /**
     * One member's daily-usage row.
     *
     * @param day      UTC day, YYYY-MM-DD
     * @param features chat / composer / agent / cmdk / bugbot counts
     */
    public record Activity(String day, String user, boolean active, long linesAdded, long aiLinesAdded,
                           long tabsShown, long tabsAccepted, Map<String, Long> features) {
    }
}

package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads of the Enterprise-only sources' data (billing groups, Analytics API, AI Code Tracking). Thread-safe. */
public interface EnterpriseReader {
    /** Sources probed at least once; absent ones were never asked. */
    Map<Source, SourceAvailability> availability(String account);

    /** The current cycle's groups, the reserved {@code Unassigned} group included (flagged). */
    List<StoredBillingGroup> billingGroups(String account);

    /** {@code billingCycle.cycleEnd} of the latest groups fetch. */
    Optional<Instant> billingCycleEnd(String account);

    /**
     * Lower-cased e-mail to billing-group name for members of a named group (members of the reserved
     * {@code Unassigned} group are left out, so callers apply their own default); usable as the {@code team}.
     */
    Map<String, String> billingGroupOfMember(String account);

    /** Each (dimension, field) of {@code metric} summed over all stored days. */
    List<AnalyticsTotal> analyticsTotals(String account, AnalyticsMetric metric);

    Optional<LocalDate> newestAnalyticsDay(String account, AnalyticsMetric metric);

    /** The points of {@code metric} stored for one day. */
    List<AnalyticsPoint> analyticsDay(String account, AnalyticsMetric metric, LocalDate day);

    /** Stored commits summed per user. */
    List<AiCodeTotals> aiCodeTotals(String account);

    /** Stored audit events per {@code event_type}, over all stored days, sorted by type. */
    Map<String, Long> auditEventCounts(String account);
}

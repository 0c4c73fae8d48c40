package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * Where every source's job is registered: the one place a new source is added to the sync. The result is checked
 * against {@link Source}, so a source without a job (or with two) fails at start, not at its first poll.
 */
final class SourceJobs {
    private SourceJobs() {
    }

    /**
     * One job per source, in {@link Source} order (the polling order).
     *
     * @param enterprise the account's Enterprise API, or null to poll only the core sources
     * @param gate       runs the Enterprise jobs (ignored when {@code enterprise} is null)
     */
    static List<SourceJob> forAccount(CursorApi api, EnterpriseApi enterprise, CounterEpoch epoch, EnterpriseGate gate) {
        List<SourceJob> jobs = new ArrayList<>(List.of(
                new MembersJob(api),
                new SpendJob(api),
                new DailyUsageJob(api, epoch),
                new UsageEventsJob(api, epoch)));
        if (enterprise != null) {
            jobs.addAll(List.of(
                    gate.gate(new BillingGroupsJob(enterprise)),
                    gate.gate(new AnalyticsJob(enterprise)),
                    gate.gate(new AiCodeJob(enterprise)),
                    gate.gate(new AuditLogsJob(enterprise))));
        }
        check(jobs, enterprise == null ? Source.core() : List.of(Source.values()));
        return List.copyOf(jobs);
    }

    /** Fails unless {@code jobs} are exactly one per source of {@code expected}, in that order. */
    static void check(List<SourceJob> jobs, List<Source> expected) {
        List<Source> registered = jobs.stream().map(SourceJob::source).toList();
        if (!registered.equals(expected)) {
            throw new IllegalStateException("sync jobs registered for " + registered + " but the sources are "
                    + expected + " (see SourceJobs)");
        }
    }
}

package dev.cursorexporter.metrics;

import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.AiCodeTotals;
import dev.cursorexporter.store.AnalyticsTotal;
import dev.cursorexporter.store.EnterpriseReader;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredBillingGroup;

import java.util.List;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * The plan-gated sources: billing-group spend ({@code /teams/groups}), the team Analytics API, AI Code Tracking
 * and the audit log.
 * A team without a source simply has no series of it (its availability is an exporter-health metric).
 */
final class EnterpriseMetrics implements MetricGroup {
    static final String GROUP_SPEND = "cursor_billing_group_spend_usd";
    static final String ANALYTICS_DAU = "cursor_analytics_dau";
    static final String CLIENT_VERSION_USERS = "cursor_client_version_users";
    static final String MODEL_MESSAGES = "cursor_model_messages";
    static final String AGENT_EDITS = "cursor_agent_edits";
    static final String AI_CODE_LINES = "cursor_ai_code_lines_added";
    static final String AI_CODE_COMMITS = "cursor_ai_code_commits";
    static final String AUDIT_EVENTS = "cursor_audit_events";
    private static final List<String> NAMES = List.of(GROUP_SPEND, ANALYTICS_DAU, CLIENT_VERSION_USERS,
            MODEL_MESSAGES, AGENT_EDITS, AI_CODE_LINES, AI_CODE_COMMITS, AUDIT_EVENTS);

    private static final String GROUP_SPEND_HELP = "Spend in USD this billing cycle per billing group (team = group "
            + "name, Unassigned included).";
    private static final String ANALYTICS_DAU_HELP = "Daily active users (used at least one AI feature) on the "
            + "newest day the Analytics API reports; that day is usually today and still partial.";
    private static final String CLIENT_VERSION_USERS_HELP = "Members per Cursor client version on the newest day of "
            + "Analytics data.";
    private static final String MODEL_MESSAGES_HELP = "Messages per model (Analytics models; model names as the "
            + "Analytics API spells them), summed over all stored days.";
    private static final String AGENT_EDITS_HELP = "Agent and composer diffs by outcome (suggested, accepted, "
            + "rejected), summed over all stored days.";
    private static final String AI_CODE_LINES_HELP = "Lines added in commits by origin: source=tab, composer "
            + "(agent), non_ai. AI share of committed lines = (tab + composer) / all.";
    private static final String AI_CODE_COMMITS_HELP = "Commits seen by AI Code Tracking.";
    private static final String AUDIT_EVENTS_HELP = "Audit-log events by event_type (login, team_settings, "
            + "team_api_key, ...), each event counted once by its id; who, from where and what changed are never read.";

    private final StoreReader store;
    private final String groupsFresh;
    private final String analyticsFresh;
    private final String aiCodeFresh;
    private final String auditFresh;

    EnterpriseMetrics(StoreReader store, Freshness freshness) {
        this.store = store;
        this.groupsFresh = " From /teams/groups (Enterprise); " + freshness.afterPoll(Source.BILLING_GROUPS) + ".";
        this.analyticsFresh = " From the Analytics API (Enterprise); " + freshness.afterPoll(Source.ANALYTICS) + ".";
        this.aiCodeFresh = " Summed over all stored commits of AI Code Tracking (Enterprise); "
                + freshness.afterPoll(Source.AI_CODE) + ".";
        this.auditFresh = " Summed over all stored days of /teams/audit-logs (Enterprise); "
                + freshness.afterPoll(Source.AUDIT_LOGS) + ".";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder groupSpend = draft.gauge(GROUP_SPEND, GROUP_SPEND_HELP + groupsFresh,
                draft.accountLabels("team"));
        FamilyBuilder dau = draft.gauge(ANALYTICS_DAU, ANALYTICS_DAU_HELP + analyticsFresh, draft.accountLabels());
        FamilyBuilder clientVersions = draft.gauge(CLIENT_VERSION_USERS, CLIENT_VERSION_USERS_HELP + analyticsFresh,
                draft.accountLabels("version"));
        FamilyBuilder modelMessages = draft.counter(MODEL_MESSAGES, MODEL_MESSAGES_HELP + analyticsFresh,
                draft.accountLabels("model"));
        FamilyBuilder agentEdits = draft.counter(AGENT_EDITS, AGENT_EDITS_HELP + analyticsFresh,
                draft.accountLabels("outcome"));
        FamilyBuilder aiCodeLines = draft.counter(AI_CODE_LINES, AI_CODE_LINES_HELP + aiCodeFresh,
                draft.userLabels("source"));
        FamilyBuilder aiCodeCommits = draft.counter(AI_CODE_COMMITS, AI_CODE_COMMITS_HELP + aiCodeFresh,
                draft.userLabels());
        FamilyBuilder auditEvents = draft.counter(AUDIT_EVENTS, AUDIT_EVENTS_HELP + auditFresh,
                draft.accountLabels("event_type"));
        EnterpriseReader enterprise = store.enterprise();
        for (String account : draft.accounts()) {
            List<String> acc = draft.accountValues(account);
            for (StoredBillingGroup g : enterprise.billingGroups(account)) {
                groupSpend.add(with(acc, g.name()), Money.usd(g.spendCents()));
            }
            enterprise.newestAnalyticsDay(account, AnalyticsMetric.DAU).ifPresent(day -> {
                for (AnalyticsPoint p : enterprise.analyticsDay(account, AnalyticsMetric.DAU, day)) {
                    if (p.field().equals("dau")) {
                        dau.add(acc, p.value());
                    }
                }
            });
            enterprise.newestAnalyticsDay(account, AnalyticsMetric.CLIENT_VERSIONS).ifPresent(day -> {
                for (AnalyticsPoint p : enterprise.analyticsDay(account, AnalyticsMetric.CLIENT_VERSIONS, day)) {
                    clientVersions.add(with(acc, p.dimension()), p.value());
                }
            });
            for (AnalyticsTotal t : enterprise.analyticsTotals(account, AnalyticsMetric.MODELS)) {
                if (t.field().equals("messages")) {
                    modelMessages.add(with(acc, t.dimension()), t.value());
                }
            }
            for (AnalyticsTotal t : enterprise.analyticsTotals(account, AnalyticsMetric.AGENT_EDITS)) {
                String outcome = switch (t.field()) {
                    case "total_suggested_diffs" -> "suggested";
                    case "total_accepted_diffs" -> "accepted";
                    case "total_rejected_diffs" -> "rejected";
                    default -> null;
                };
                if (outcome != null) {
                    agentEdits.add(with(acc, outcome), t.value());
                }
            }
            for (AiCodeTotals t : enterprise.aiCodeTotals(account)) {
                List<String> user = draft.userValues(account, t.email());
                aiCodeLines.add(with(user, "tab"), t.tabLinesAdded());
                aiCodeLines.add(with(user, "composer"), t.composerLinesAdded());
                aiCodeLines.add(with(user, "non_ai"), t.nonAiLinesAdded());
                aiCodeCommits.add(user, t.commits());
            }
            enterprise.auditEventCounts(account).forEach((type, count) -> auditEvents.add(with(acc, type), count));
        }
    }
}

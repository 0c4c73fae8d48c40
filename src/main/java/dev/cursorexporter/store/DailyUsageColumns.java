package dev.cursorexporter.store;

import dev.cursorexporter.model.DailyUsageRow;

import java.util.List;
import java.util.stream.Collectors;

/** The numeric columns of {@code daily_usage} and the upward-only upsert that writes them. */
final class DailyUsageColumns {

    /** In the order of {@link #numbers}. */
    static final List<String> NUMBERS = List.of(
            "total_lines_added", "total_lines_deleted", "accepted_lines_added", "accepted_lines_deleted",
            "total_applies", "total_accepts", "total_rejects", "total_tabs_shown", "total_tabs_accepted",
            "composer_requests", "chat_requests", "agent_requests", "cmdk_usages", "subscription_included_reqs",
            "api_key_reqs", "usage_based_reqs", "bugbot_usages");

    /**
     * Parameters: account id, day, e-mail, user id, active, {@link #NUMBERS}, most-used model, client version.
     * A restated day only goes up (counters derived from it must never decrease); text takes the newest non-empty
     * value; plain column names in DO UPDATE refer to the stored row.
     */
    static final String UPSERT = "INSERT INTO daily_usage (account_id, day, email, user_id, active, "
            + String.join(", ", NUMBERS) + ", most_used_model, client_version) VALUES ("
            + "?, ".repeat(5 + NUMBERS.size() + 1) + "?)"
            + " ON CONFLICT (account_id, day, email) DO UPDATE SET"
            + " user_id = COALESCE(excluded.user_id, user_id),"
            + " active = MAX(active, excluded.active), "
            + NUMBERS.stream().map(c -> c + " = MAX(" + c + ", excluded." + c + ")").collect(Collectors.joining(", "))
            + ", most_used_model = CASE WHEN excluded.most_used_model <> '' THEN excluded.most_used_model"
            + " ELSE most_used_model END"
            + ", client_version = CASE WHEN excluded.client_version <> '' THEN excluded.client_version"
            + " ELSE client_version END";

    private DailyUsageColumns() {
    }

    static long[] numbers(DailyUsageRow r) {
        return new long[] {
                r.totalLinesAdded(), r.totalLinesDeleted(), r.acceptedLinesAdded(), r.acceptedLinesDeleted(),
                r.totalApplies(), r.totalAccepts(), r.totalRejects(), r.totalTabsShown(), r.totalTabsAccepted(),
                r.composerRequests(), r.chatRequests(), r.agentRequests(), r.cmdkUsages(),
                r.subscriptionIncludedReqs(), r.apiKeyReqs(), r.usageBasedReqs(), r.bugbotUsages()};
    }
}

package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.UsageTotals;

import java.util.List;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * The usage counters: cost, requests and tokens of Cursor's usage events per member, model and actor, and what Cursor's
 * restatements took back from them, over the stored event days from the counter epoch on. The store already sums
 * per (e-mail, model, billing class) and adds the withdrawn into the counters, so they never go down.
 */
final class UsageMetrics implements MetricGroup {
    static final String COST = "cursor_usage_cost_usd";
    static final String REQUESTS = "cursor_usage_requests";
    static final String TOKENS = "cursor_usage_tokens";
    static final String WITHDRAWN_COST = "cursor_usage_withdrawn_cost_usd";
    static final String WITHDRAWN_REQUESTS = "cursor_usage_withdrawn_requests";
    static final String WITHDRAWN_TOKENS = "cursor_usage_withdrawn_tokens";
    private static final List<String> NAMES =
            List.of(COST, REQUESTS, TOKENS, WITHDRAWN_COST, WITHDRAWN_REQUESTS, WITHDRAWN_TOKENS);

    private static final String COST_HELP = "Cost in USD of Cursor usage events: chargedCents, else "
            + "tokenUsage.totalCents + cursorTokenFee; 0 for Not Charged kinds.";
    private static final String REQUESTS_HELP = "Number of Cursor usage events by billing class (included, "
            + "usage_based, byok, not_charged, other).";
    private static final String TOKENS_HELP = "Tokens used by Cursor usage events by token_type (input, output, "
            + "cache_read, cache_write).";
    private static final String WITHDRAWN_COST_HELP = "Cost in USD that Cursor took back by restating usage events "
            + "(re-classified as Not Charged, cost restated lower).";
    private static final String WITHDRAWN_REQUESTS_HELP = "Usage events by billing class that Cursor's restatements "
            + "removed or moved to another billing class.";
    private static final String WITHDRAWN_TOKENS_HELP = "Tokens by token_type that Cursor's restatements took back "
            + "from usage events.";
    private static final String ACTOR = " actor: human, cloud_agent, automation or service_account, from the "
            + "event's caller fields (a service account without e-mail is user=\"sa:<name or id>\").";
    private static final String WITHDRAWN = " Counted in the matching cursor_usage_* counter too, which never goes "
            + "down: the counter minus this is what Cursor reports now.";

    private final StoreReader store;
    private final String fresh;

    UsageMetrics(StoreReader store, Freshness freshness) {
        this.store = store;
        this.fresh = " Summed over the event days stored from the counter epoch (the first backfill's first day) on; "
                + freshness.afterPoll(Source.USAGE_EVENTS) + ".";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        Counters counted = new Counters(
                draft.counter(COST, COST_HELP + ACTOR + fresh, draft.userLabels("model", "actor")),
                draft.counter(REQUESTS, REQUESTS_HELP + ACTOR + fresh, draft.userLabels("model", "billing", "actor")),
                draft.counter(TOKENS, TOKENS_HELP + ACTOR + fresh, draft.userLabels("model", "token_type", "actor")));
        Counters withdrawn = new Counters(
                draft.counter(WITHDRAWN_COST, WITHDRAWN_COST_HELP + WITHDRAWN + fresh,
                        draft.userLabels("model", "actor")),
                draft.counter(WITHDRAWN_REQUESTS, WITHDRAWN_REQUESTS_HELP + WITHDRAWN + fresh,
                        draft.userLabels("model", "billing", "actor")),
                draft.counter(WITHDRAWN_TOKENS, WITHDRAWN_TOKENS_HELP + WITHDRAWN + fresh,
                        draft.userLabels("model", "token_type", "actor")));
        // streamed: at 10,000 members the rows alone would not fit a small heap, the capped families do
        for (String account : draft.accounts()) {
            store.usageTotals(account, t -> counted.add(draft.userValues(account, t.email()), draft.model(t.model()), t));
            store.usageWithdrawn(account,
                    t -> withdrawn.add(draft.userValues(account, t.email()), draft.model(t.model()), t));
        }
    }

    /** The three counters of one kind (counted or withdrawn), which share their label rules. */
    private record Counters(FamilyBuilder cost, FamilyBuilder requests, FamilyBuilder tokens) {
        void add(List<String> user, String model, UsageTotals t) {
            String actor = t.actor().label();
            cost.add(with(user, model, actor), Money.usd(t.costCents()));
            requests.add(with(user, model, t.billing().label(), actor), t.requests());
            tokens.add(with(user, model, "input", actor), t.inputTokens());
            tokens.add(with(user, model, "output", actor), t.outputTokens());
            tokens.add(with(user, model, "cache_read", actor), t.cacheReadTokens());
            tokens.add(with(user, model, "cache_write", actor), t.cacheWriteTokens());
        }
    }
}

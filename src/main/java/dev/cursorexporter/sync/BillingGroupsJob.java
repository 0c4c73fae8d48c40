package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.Source;

/** {@code GET /teams/groups} (Enterprise): the current cycle's billing groups, stored as a whole. */
final class BillingGroupsJob implements SourceJob {
    private final EnterpriseApi api;

    BillingGroupsJob(EnterpriseApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.BILLING_GROUPS;
    }

    @Override
    public String run(JobContext context) {
        BillingGroups groups = api.billingGroups();
        context.store().enterprise().saveBillingGroups(context.account(), groups, context.now());
        return groups.groups().size() + " groups";
    }
}

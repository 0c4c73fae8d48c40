package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;

/** {@code POST /teams/spend}: the current billing cycle's spend per member, stored as a whole. */
final class SpendJob implements SourceJob {
    private final CursorApi api;

    SpendJob(CursorApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.SPEND;
    }

    @Override
    public String run(JobContext context) {
        SpendReport report = api.spend();
        context.store().saveSpend(context.account(), report, context.now());
        return report.members().size() + " spend rows";
    }
}

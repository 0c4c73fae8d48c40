package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.Source;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** {@code GET /analytics/ai-code/commits} (AI Code Tracking, Enterprise): commits by day windows, upserted by hash. */
final class AiCodeJob extends PagedWindowJob<AiCodeCommit> {
    private final EnterpriseApi api;

    AiCodeJob(EnterpriseApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.AI_CODE;
    }

    @Override
    void read(Instant from, Instant to, Consumer<List<AiCodeCommit>> pages) {
        api.aiCodeCommits(from, to, pages);
    }

    @Override
    void save(JobContext context, List<AiCodeCommit> page, DayWindow w, boolean cover) {
        context.store().enterprise().saveAiCodeCommits(context.account(), page, w.from(), w.to(), cover);
    }

    @Override
    String rowsName() {
        return "commits";
    }
}

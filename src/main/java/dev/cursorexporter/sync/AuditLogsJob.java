package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.Source;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** {@code GET /teams/audit-logs} (Enterprise): events by day windows, upserted by event id. */
final class AuditLogsJob extends PagedWindowJob<AuditEvent> {
    private final EnterpriseApi api;

    AuditLogsJob(EnterpriseApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.AUDIT_LOGS;
    }

    @Override
    void read(Instant from, Instant to, Consumer<List<AuditEvent>> pages) {
        api.auditEvents(from, to, pages);
    }

    @Override
    void save(JobContext context, List<AuditEvent> page, DayWindow w, boolean cover) {
        context.store().enterprise().saveAuditEvents(context.account(), page, w.from(), w.to(), cover);
    }

    @Override
    String rowsName() {
        return "audit events";
    }
}

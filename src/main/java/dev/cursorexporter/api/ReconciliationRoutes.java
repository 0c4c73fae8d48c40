package dev.cursorexporter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.query.Condition;
import dev.cursorexporter.query.Dimension;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/reconciliation?from=&to=&team=}: Cursor's OpenTelemetry estimate of cost against the Admin
 * API's settled cost, one row per day and team, as a flat JSON array for Grafana's Infinity datasource (and curl).
 * Its parameters follow {@code /api/v1/daily}'s rules ({@link DatasourceParams}); parses and formats only, the rows
 * come from {@link CostReconciliation}.
 */
final class ReconciliationRoutes {
    private static final List<String> PARAMETERS = List.of("from", "to", "team");

    private final CostReconciliation reconciliation;

    ReconciliationRoutes(CostReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    /** @param workers what the handler runs on, like every datasource endpoint (never a Jetty request thread) */
    void register(RoutesConfig routes, DatasourceWorkers workers) {
        routes.get("/api/v1/reconciliation", workers.offload(this::reconciliation));
    }

    private void reconciliation(Context ctx) {
        DatasourceParams params = DatasourceParams.of(ctx, PARAMETERS);
        DayRange range = params.range(reconciliation.today());
        Predicate<String> team = teams(params.filters(List.of(Dimension.TEAM)));
        List<CostReconciliation.Row> rows = range == null ? List.of()
                : reconciliation.days(range.from(), range.to()).stream().filter(r -> team.test(r.team())).toList();
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (CostReconciliation.Row r : rows) {
                json.writeStartObject();
                json.writeNumberField("time", r.day().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
                json.writeStringField("date", r.day().toString());
                json.writeStringField("team", r.team());
                money(json, "estimatedUsd", r.estimatedUsd());
                money(json, "settledUsd", r.settledUsd());
                money(json, "differenceUsd", r.differenceUsd());
                money(json, "ratio", r.ratio());
                json.writeStringField("state", r.state().label());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** The team filter: a plain list (as every REST filter is), or none. */
    private static Predicate<String> teams(List<Condition> conditions) {
        return conditions.isEmpty() ? t -> true : conditions.get(0).values()::contains;
    }

    private static void money(JsonGenerator json, String name, BigDecimal value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, value);
        }
    }
}

package dev.cursorexporter.api;

import dev.cursorexporter.query.Condition;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.query.Dimension;
import dev.cursorexporter.query.MemberRow;
import dev.cursorexporter.query.SeriesQuery;
import dev.cursorexporter.query.SeriesRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/daily} and {@code GET /api/v1/members}: flat JSON arrays for Grafana's Infinity datasource
 * (and curl). Parses and formats only; the answers come from {@link DatasourceQueries}.
 */
final class RestRoutes {
    private static final List<String> DAILY_PARAMETERS = List.of("from", "to", "by", "user", "team", "location",
            "model");
    private static final List<String> MEMBER_PARAMETERS = List.of("user", "team", "location");

    private final DatasourceQueries queries;

    RestRoutes(DatasourceQueries queries) {
        this.queries = queries;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/daily", this::daily);
        routes.get("/api/v1/members", this::members);
    }

    private void daily(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        checkNames(params, DAILY_PARAMETERS);
        DayRange range = DayRange.resolve(single(params, "from"), single(params, "to"), queries.today(), "from",
                "to");
        List<Dimension> by = new ArrayList<>();
        for (String key : values(params, "by")) {
            by.add(Dimension.byKey(key).orElseThrow(() -> new BadRequest("by: unknown key '" + key
                    + "' (allowed: " + Dimension.allowedKeys() + ")")));
        }
        List<Condition> conditions = filters(params, List.of(Dimension.values()));
        // Daily usage has no model: activity columns appear only when the model does not split or restrict rows.
        boolean activity = !by.contains(Dimension.MODEL)
                && conditions.stream().noneMatch(c -> c.dimension() == Dimension.MODEL);
        SeriesQuery query = new SeriesQuery(range.from(), range.to(), 1, by, conditions, activity);
        List<SeriesRow> rows = queries.series(query);
        List<String> keys = query.by().stream().map(Dimension::key).toList();
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (SeriesRow r : rows) {
                json.writeStartObject();
                json.writeNumberField("time", r.start().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
                json.writeStringField("date", r.start().toString());
                for (int i = 0; i < keys.size(); i++) {
                    json.writeStringField(keys.get(i), r.group().get(i));
                }
                json.writeNumberField("costUsd", r.costUsd());
                json.writeNumberField("requests", r.requests());
                json.writeNumberField("inputTokens", r.inputTokens());
                json.writeNumberField("outputTokens", r.outputTokens());
                json.writeNumberField("cacheReadTokens", r.cacheReadTokens());
                json.writeNumberField("cacheWriteTokens", r.cacheWriteTokens());
                if (r.activity() != null) {
                    json.writeNumberField("activeUsers", r.activity().activeUsers());
                    json.writeNumberField("linesAdded", r.activity().linesAdded());
                    json.writeNumberField("aiLinesAdded", r.activity().aiLinesAdded());
                    json.writeNumberField("tabsShown", r.activity().tabsShown());
                    json.writeNumberField("tabsAccepted", r.activity().tabsAccepted());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private void members(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        checkNames(params, MEMBER_PARAMETERS);
        List<Condition> conditions = filters(params, List.of(Dimension.USER, Dimension.TEAM, Dimension.LOCATION));
        List<MemberRow> members = queries.members(conditions);
        boolean severalAccounts = members.stream().map(MemberRow::account).distinct().count() > 1;
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (MemberRow m : members) {
                json.writeStartObject();
                if (severalAccounts) {
                    json.writeStringField("account", m.account());
                }
                json.writeStringField("user", m.user());
                json.writeStringField("name", m.name());
                json.writeStringField("email", m.email());
                json.writeStringField("team", m.team());
                json.writeStringField("location", m.location());
                json.writeStringField("role", m.role());
                json.writeNumberField("cycleSpendUsd", m.cycleSpendUsd());
                json.writeNumberField("onDemandSpendUsd", m.onDemandSpendUsd());
                json.writeNumberField("spendLimitUsd", m.spendLimitUsd());
                json.writeStringField("lastActiveDay", m.lastActiveDay() == null ? null
                        : m.lastActiveDay().toString());
                json.writeBooleanField("removed", m.removed());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static void checkNames(Map<String, List<String>> params, List<String> allowed) {
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw new BadRequest("unknown parameter '" + name + "' (allowed: " + String.join(", ", allowed)
                        + ")");
            }
        }
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> given = params.getOrDefault(name, List.of());
        if (given.size() > 1) {
            throw new BadRequest(name + ": given " + given.size() + " times, expected once");
        }
        return given.stream().filter(v -> !v.isBlank()).findFirst();
    }

    /** All comma-separated values of a parameter, which may also be repeated. */
    private static List<String> values(Map<String, List<String>> params, String name) {
        return params.getOrDefault(name, List.of()).stream().flatMap(v -> Lists.commaSeparated(v).stream())
                .toList();
    }

    private static List<Condition> filters(Map<String, List<String>> params, List<Dimension> dimensions) {
        List<Condition> out = new ArrayList<>();
        for (Dimension d : dimensions) {
            List<String> wanted = values(params, d.key());
            if (d == Dimension.USER) {
                wanted = wanted.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
            }
            if (!wanted.isEmpty()) {
                out.add(Condition.in(d, wanted));
            }
        }
        return out;
    }
}

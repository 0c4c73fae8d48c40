package dev.cursorexporter.api;

import dev.cursorexporter.query.Condition;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.query.Dimension;
import dev.cursorexporter.query.MemberRow;
import dev.cursorexporter.query.SeriesQuery;
import dev.cursorexporter.query.SeriesRow;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.query.Ratios;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/daily}, {@code GET /api/v1/totals} and {@code GET /api/v1/members}: flat JSON arrays for Grafana's Infinity datasource
 * (and curl). Parses and formats only; the answers come from {@link DatasourceQueries}.
 */
final class RestRoutes {
    private static final List<String> DAILY_PARAMETERS = List.of("from", "to", "by", "user", "team", "location",
            "model", "billing", "actor");
    private static final List<String> MEMBER_PARAMETERS = List.of("user", "team", "location");

    private final DatasourceQueries queries;

    RestRoutes(DatasourceQueries queries) {
        this.queries = queries;
    }

    /** @param workers what every handler here runs on (never a Jetty request thread) */
    void register(RoutesConfig routes, DatasourceWorkers workers) {
        routes.get("/api/v1/daily", workers.offload(this::daily));
        routes.get("/api/v1/totals", workers.offload(this::totals));
        routes.get("/api/v1/members", workers.offload(this::members));
    }

    private void daily(Context ctx) {
        Question q = question(ctx);
        DatasourceQueries.EncodedAnswer kept = queries.encodedAnswer(new Asked("daily", q));
        if (send(ctx, kept)) {
            return;
        }
        List<SeriesRow> rows = q.range() == null ? List.of() : queries.series(new SeriesQuery(q.range().from(),
                q.range().to(), 1, q.by(), q.conditions(), q.activity()));
        Set<LocalDate> usageDays = queries.coveredDays(Source.USAGE_EVENTS);
        Set<LocalDate> activityDays = q.activity() ? queries.coveredDays(Source.DAILY_USAGE) : Set.of();
        List<String> keys = q.keys();
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (SeriesRow r : rows) {
                json.writeStartObject();
                json.writeNumberField("time", r.start().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
                json.writeStringField("date", r.start().toString());
                writeGroup(json, keys, r);
                boolean covered = usageDays.contains(r.start());
                json.writeBooleanField("covered", covered);
                writeFigures(json, r, covered, covered && activityDays.contains(r.start()));
                json.writeEndObject();
            }
            json.writeEndArray();
        }, kept.maxBytes(), kept::keep);
    }

    /** The daily question summed over its whole range: one bucket, one row per group. */
    private void totals(Context ctx) {
        Question q = question(ctx);
        DatasourceQueries.EncodedAnswer kept = queries.encodedAnswer(new Asked("totals", q));
        if (send(ctx, kept)) {
            return;
        }
        List<SeriesRow> rows = q.range() == null ? List.of() : queries.series(new SeriesQuery(q.range().from(),
                q.range().to(), (int) q.days(), q.by(), q.conditions(), q.activity()));
        long usageDays = q.range() == null ? 0 : queries.coveredDays(Source.USAGE_EVENTS).stream()
                .filter(q::contains).count();
        // Activity sums are stated only when daily usage covers every day that usage events cover.
        boolean activityCovered = q.activity() && q.range() != null && queries.coveredDays(Source.DAILY_USAGE)
                .stream().filter(q::contains).count() >= usageDays;
        List<String> keys = q.keys();
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (SeriesRow r : rows) {
                json.writeStartObject();
                writeGroup(json, keys, r);
                json.writeNumberField("days", q.days());
                json.writeNumberField("coveredDays", usageDays);
                writeFigures(json, r, usageDays > 0, usageDays > 0 && activityCovered);
                json.writeEndObject();
            }
            json.writeEndArray();
        }, kept.maxBytes(), kept::keep);
    }

    /** Which endpoint asked what: their answers to one question differ. */
    private record Asked(String endpoint, Question question) {
    }

    /** Sends the bytes kept from an earlier answer to the same question, if any. */
    private static boolean send(Context ctx, DatasourceQueries.EncodedAnswer kept) {
        byte[] bytes = kept.bytes();
        if (bytes == null) {
            return false;
        }
        ApiJson.sendKept(ctx, bytes);
        return true;
    }

    /**
     * What /daily and /totals ask: the range ends today at the latest (null when it starts after today), the
     * groups, and the filters; activity (daily usage) only when neither groups nor filters involve a usage-only
     * dimension (model, billing class, actor), which daily usage does not have.
     */
    private Question question(Context ctx) {
        DatasourceParams params = DatasourceParams.of(ctx, DAILY_PARAMETERS);
        DayRange range = params.range(queries.today());
        List<Dimension> by = new ArrayList<>();
        for (String key : params.values("by")) {
            by.add(Dimension.byKey(key).orElseThrow(() -> new BadRequest("by: unknown key '" + key
                    + "' (allowed: " + Dimension.allowedKeys() + ")")));
        }
        List<Condition> conditions = params.filters(List.of(Dimension.values()));
        boolean activity = by.stream().noneMatch(Dimension::usageOnly)
                && conditions.stream().noneMatch(c -> c.dimension().usageOnly());
        return new Question(range, by.stream().distinct().sorted().toList(), conditions, activity);
    }

    private record Question(DayRange range, List<Dimension> by, List<Condition> conditions, boolean activity) {
        List<String> keys() {
            return by.stream().map(Dimension::key).toList();
        }

        long days() {
            return range == null ? 0 : ChronoUnit.DAYS.between(range.from(), range.to()) + 1;
        }

        boolean contains(LocalDate day) {
            return !day.isBefore(range.from()) && !day.isAfter(range.to());
        }
    }

    private static void writeGroup(JsonGenerator json, List<String> keys, SeriesRow r) throws IOException {
        for (int i = 0; i < keys.size(); i++) {
            json.writeStringField(keys.get(i), r.group().get(i));
        }
    }

    /**
     * The figures of one row: null when the store does not cover the day(s), so Grafana draws a gap instead of a
     * zero; activity columns only for activity questions, null where daily usage is not covered.
     */
    private static void writeFigures(JsonGenerator json, SeriesRow r, boolean covered, boolean activityCovered)
            throws IOException {
        long tokens = r.inputTokens() + r.outputTokens() + r.cacheReadTokens() + r.cacheWriteTokens();
        number(json, "costUsd", covered ? r.costUsd() : null);
        number(json, "requests", covered ? r.requests() : null);
        number(json, "inputTokens", covered ? r.inputTokens() : null);
        number(json, "outputTokens", covered ? r.outputTokens() : null);
        number(json, "cacheReadTokens", covered ? r.cacheReadTokens() : null);
        number(json, "cacheWriteTokens", covered ? r.cacheWriteTokens() : null);
        number(json, "costPerMillionTokens", covered ? Ratios.costPerMillionTokens(r.costUsd(), tokens) : null);
        SeriesRow.Activity a = r.activity();
        if (a != null) {
            boolean c = activityCovered;
            number(json, "activeUsers", c ? a.activeUsers() : null);
            number(json, "linesAdded", c ? a.linesAdded() : null);
            number(json, "aiLinesAdded", c ? a.aiLinesAdded() : null);
            number(json, "tabsShown", c ? a.tabsShown() : null);
            number(json, "tabsAccepted", c ? a.tabsAccepted() : null);
            number(json, "chatRequests", c ? a.chatRequests() : null);
            number(json, "composerRequests", c ? a.composerRequests() : null);
            number(json, "agentRequests", c ? a.agentRequests() : null);
            number(json, "cmdkUsages", c ? a.cmdkUsages() : null);
            number(json, "bugbotUsages", c ? a.bugbotUsages() : null);
            number(json, "aiLinesShare", c ? Ratios.share(a.aiLinesAdded(), a.linesAdded(), Ratios.MIN_LINES)
                    : null);
            number(json, "tabAcceptance", c ? Ratios.share(a.tabsAccepted(), a.tabsShown(), Ratios.MIN_TABS_SHOWN)
                    : null);
        }
    }

    private static void number(JsonGenerator json, String name, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else if (value instanceof BigDecimal d) {
            json.writeNumberField(name, d);
        } else {
            json.writeNumberField(name, (Long) value);
        }
    }

    private void members(Context ctx) {
        List<Condition> conditions = DatasourceParams.of(ctx, MEMBER_PARAMETERS).filters(List.of(Dimension.USER,
                Dimension.TEAM, Dimension.LOCATION));
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
}

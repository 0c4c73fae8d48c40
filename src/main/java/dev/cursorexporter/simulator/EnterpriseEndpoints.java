package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Enterprise endpoints: {@code GET /teams/groups} (§2.9), {@code GET /analytics/team/{dau, models,
 * agent-edits, tabs, client-versions}} (§3), {@code GET /analytics/ai-code/commits} (§4.1) and {@code GET /teams/audit-logs} (§2.2), built from
 * {@link EnterpriseData}. Query parameters arrive as a name → value function.
 */
final class EnterpriseEndpoints {
    /** The Analytics metrics served, by path segment. */
    static final List<String> ANALYTICS_METRICS = List.of("dau", "models", "agent-edits", "tabs", "client-versions");
    private static final int TEAM_ID = 4711;
    private static final long DEFAULT_COMMITS_PAGE_SIZE = 100;
    private static final long MAX_COMMITS_PAGE_SIZE = 1000;
    private static final int MAX_RANGE_DAYS = 30;
    private static final long DEFAULT_AUDIT_PAGE_SIZE = 100;
    private static final long MAX_AUDIT_PAGE_SIZE = 500;

    private final EnterpriseData data;

    EnterpriseEndpoints(EnterpriseData data) {
        this.data = data;
    }

    /** {@code GET /teams/groups}: current cycle, one group per team, an empty {@code Unassigned} group. */
    ObjectNode groups(Function<String, String> query) {
        ObjectNode root = CursorJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("groups");
        for (EnterpriseData.Group g : data.groups()) {
            ObjectNode group = groupNode(g.id(), g.name(), g.members().size(), g.spendCents());
            ArrayNode current = group.putArray("currentMembers");
            g.memberSpendCents().forEach((m, cents) -> {
                ObjectNode member = current.addObject();
                member.put("userId", m.id());
                member.put("name", m.name());
                member.put("email", m.email());
                member.put("joinedAt", Instant.ofEpochMilli(UsageModel.dayStartMs(m.joinDay())).toString());
                member.putNull("leftAt");
                member.put("spendCents", cents);
            });
            group.putArray("formerMembers");
            ArrayNode daily = group.putArray("dailySpend");
            g.dailySpendCents().forEach((day, cents) -> {
                ObjectNode d = daily.addObject();
                d.put("date", LocalDate.ofEpochDay(day).toString());
                d.put("spendCents", cents);
            });
            list.add(group);
        }
        ObjectNode unassigned = groupNode("group_unassigned", EnterpriseData.UNASSIGNED, 0, BigDecimal.ZERO);
        unassigned.putArray("currentMembers");
        unassigned.putArray("formerMembers");
        unassigned.putArray("dailySpend");
        root.set("unassignedGroup", unassigned);
        ObjectNode cycle = root.putObject("billingCycle");
        cycle.put("cycleStart", data.usage().org().cycleStart(data.usage().now()).toString());
        cycle.put("cycleEnd", data.cycleEnd().toString());
        return root;
    }

    private static ObjectNode groupNode(String id, String name, int members, BigDecimal spendCents) {
        ObjectNode g = CursorJson.MAPPER.createObjectNode();
        g.put("id", id);
        g.put("name", name);
        g.put("type", "BILLING");
        g.putNull("directoryGroupId");
        g.put("memberCount", members);
        g.put("createdAt", "2025-06-01T00:00:00.000Z");
        g.put("updatedAt", "2025-06-01T00:00:00.000Z");
        g.put("spendCents", spendCents);
        return g;
    }

    /** {@code GET /analytics/team/{metric}}: days resolved to 00:00 UTC, both inclusive, at most 30. */
    ObjectNode analytics(String metric, Function<String, String> query) {
        long today = UsageModel.dayOf(data.usage().now().toEpochMilli());
        long start = day(query.apply("startDate"), today - 6);
        long end = day(query.apply("endDate"), today);
        if (end < start) {
            throw ApiError.badRequest("endDate must not be before startDate");
        }
        if (end - start + 1 > MAX_RANGE_DAYS) {
            throw ApiError.badRequest("Date range cannot exceed " + MAX_RANGE_DAYS + " days");
        }
        ObjectNode root = CursorJson.MAPPER.createObjectNode();
        ArrayNode rows = root.putArray("data");
        long first = Math.max(start, data.usage().firstServedDay(data.usage().now().toEpochMilli()));
        for (long day = first; day <= Math.min(end, today); day++) {
            String date = LocalDate.ofEpochDay(day).toString();
            switch (metric) {
                case "dau" -> put(rows.addObject().put("date", date), data.dau(day));
                case "models" -> {
                    ObjectNode row = rows.addObject().put("date", date);
                    ObjectNode breakdown = row.putObject("model_breakdown");
                    data.models(day).forEach((model, v) ->
                            breakdown.putObject(model).put("messages", v[0]).put("users", v[1]));
                }
                case "agent-edits" -> put(rows.addObject().put("event_date", date), data.agentEdits(day));
                case "tabs" -> put(rows.addObject().put("event_date", date), data.tabs(day));
                case "client-versions" -> {
                    Map<String, Long> versions = data.clientVersions(day);
                    long total = versions.values().stream().mapToLong(Long::longValue).sum();
                    versions.forEach((version, users) -> rows.addObject().put("event_date", date)
                            .put("client_version", version).put("user_count", users)
                            .put("percentage", (double) users / total));
                }
                default -> throw ApiError.notFound();
            }
        }
        ObjectNode params = root.putObject("params");
        params.put("metric", metric);
        params.put("teamId", TEAM_ID);
        params.put("startDate", LocalDate.ofEpochDay(start).toString());
        params.put("endDate", LocalDate.ofEpochDay(end).toString());
        return root;
    }

    /** {@code GET /analytics/ai-code/commits}: ISO bounds (both inclusive), P-items pagination, newest first. */
    ObjectNode commits(Function<String, String> query) {
        long nowMs = data.usage().now().toEpochMilli();
        long from = instant(query.apply("startDate"), nowMs - 7 * ActivityGenerator.DAY_MS);
        long to = instant(query.apply("endDate"), nowMs);
        if (to < from) {
            throw ApiError.badRequest("endDate must not be before startDate");
        }
        if (to - from > MAX_RANGE_DAYS * ActivityGenerator.DAY_MS) {
            throw ApiError.badRequest("Date range cannot exceed " + MAX_RANGE_DAYS + " days");
        }
        long page = positive(query.apply("page"), 1, "page");
        long pageSize = positive(query.apply("pageSize"), DEFAULT_COMMITS_PAGE_SIZE, "pageSize");
        if (pageSize > MAX_COMMITS_PAGE_SIZE) {
            throw ApiError.badRequest("pageSize cannot exceed " + MAX_COMMITS_PAGE_SIZE);
        }
        List<EnterpriseData.Commit> all = data.commits(from, to);
        ObjectNode root = CursorJson.MAPPER.createObjectNode();
        ArrayNode items = root.putArray("items");
        long firstIndex = (page - 1) * pageSize;
        for (long i = firstIndex; i < Math.min(all.size(), firstIndex + pageSize); i++) {
            EnterpriseData.Commit c = all.get((int) i);
            String ts = Instant.ofEpochMilli(c.timestamp()).toString();
            items.addObject()
                    .put("commitHash", c.hash())
                    .put("userId", c.member().id())
                    .put("userEmail", c.member().key())
                    .put("repoName", c.repo())
                    .put("branchName", c.branch())
                    .put("isPrimaryBranch", c.primary())
                    .put("commitSource", "ide")
                    .put("totalLinesAdded", c.totalAdded())
                    .put("totalLinesDeleted", c.totalDeleted())
                    .put("tabLinesAdded", c.tabAdded())
                    .put("tabLinesDeleted", 0)
                    .put("composerLinesAdded", c.composerAdded())
                    .put("composerLinesDeleted", c.totalDeleted())
                    .put("nonAiLinesAdded", c.nonAiAdded())
                    .put("nonAiLinesDeleted", 0)
                    .put("message", c.message())
                    .put("commitTs", ts)
                    .put("createdAt", ts);
        }
        root.put("totalCount", all.size());
        root.put("page", page);
        root.put("pageSize", pageSize);
        return root;
    }

    /**
     * {@code GET /teams/audit-logs} (§2.2): {@code startTime}/{@code endTime} as ISO instants or {@code YYYY-MM-DD}
     * (00:00, so the end day is excluded), default the last 7 days; P-std pagination with {@code totalCount}.
     */
    ObjectNode auditLogs(Function<String, String> query) {
        long nowMs = data.usage().now().toEpochMilli();
        long from = instant(query.apply("startTime"), nowMs - 7 * ActivityGenerator.DAY_MS);
        long to = instant(query.apply("endTime"), nowMs);
        if (to < from) {
            throw ApiError.badRequest("endTime must not be before startTime");
        }
        if (to - from > MAX_RANGE_DAYS * ActivityGenerator.DAY_MS) {
            throw ApiError.badRequest("Date range cannot exceed " + MAX_RANGE_DAYS + " days");
        }
        long page = positive(query.apply("page"), 1, "page");
        long pageSize = positive(query.apply("pageSize"), DEFAULT_AUDIT_PAGE_SIZE, "pageSize");
        if (pageSize > MAX_AUDIT_PAGE_SIZE) {
            throw ApiError.badRequest("pageSize cannot exceed " + MAX_AUDIT_PAGE_SIZE);
        }
        List<EnterpriseData.AuditEntry> all = data.auditEvents(from, to);
        ObjectNode root = CursorJson.MAPPER.createObjectNode();
        ArrayNode events = root.putArray("events");
        long firstIndex = (page - 1) * pageSize;
        for (long i = firstIndex; i < Math.min(all.size(), firstIndex + pageSize); i++) {
            EnterpriseData.AuditEntry e = all.get((int) i);
            ObjectNode event = events.addObject()
                    .put("event_id", e.id())
                    .put("timestamp", Instant.ofEpochMilli(e.timestamp()).toString())
                    .put("ip_address", e.ip())
                    .put("user_email", e.actor().email())
                    .put("event_type", e.type())
                    .put("application_type", "cursor");
            ObjectNode eventData = event.putObject("event_data");
            if (e.type().equals("login")) {
                eventData.put("login_type", "LOGIN_TYPE_WEB").put("success", true);
            } else {
                eventData.put("setting_name", "team_hard_limit_dollars").put("old_value", 2147483647)
                        .put("new_value", 1000);
            }
        }
        long pages = (all.size() + pageSize - 1) / pageSize;
        ObjectNode pagination = root.putObject("pagination");
        pagination.put("page", page);
        pagination.put("pageSize", pageSize);
        pagination.put("totalCount", all.size());
        pagination.put("totalPages", pages);
        pagination.put("hasNextPage", page < pages);
        pagination.put("hasPreviousPage", page > 1);
        ObjectNode params = root.putObject("params");
        params.put("teamId", TEAM_ID);
        params.put("startDate", from);
        params.put("endDate", to);
        return root;
    }

    private static void put(ObjectNode row, Map<String, Long> values) {
        values.forEach(row::put);
    }

    /** {@code YYYY-MM-DD} or ISO-8601 (time ignored), as an epoch day; {@code fallback} when absent. */
    private static long day(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.length() >= 10 ? value.substring(0, 10) : value).toEpochDay();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("Invalid date: " + value);
        }
    }

    /** ISO-8601 instant or {@code YYYY-MM-DD} (00:00 UTC) as epoch ms; {@code fallback} when absent. */
    private static long instant(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? UsageModel.dayStartMs(LocalDate.parse(value).toEpochDay())
                    : Instant.parse(value).toEpochMilli();
        } catch (DateTimeException e) {
            throw ApiError.badRequest("Invalid date: " + value);
        }
    }

    private static long positive(String value, long fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a positive integer");
        }
    }
}

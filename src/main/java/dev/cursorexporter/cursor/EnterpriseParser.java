package dev.cursorexporter.cursor;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.cursorexporter.cursor.JsonFields.bool;
import static dev.cursorexporter.cursor.JsonFields.count;
import static dev.cursorexporter.cursor.JsonFields.decimal;
import static dev.cursorexporter.cursor.JsonFields.email;
import static dev.cursorexporter.cursor.JsonFields.instant;
import static dev.cursorexporter.cursor.JsonFields.text;

/**
 * Maps the Enterprise responses (REFERENCE.md §2.2, §2.9, §3.2, §4.1) to records, as tolerantly as
 * {@link PayloadParser}: rows without a key (e-mail, day, hash) or with a count or amount outside its valid range
 * ({@link RowCheck}) are refused on their own and reported. Commit messages and file names are never read.
 */
final class EnterpriseParser {
    /** Cursor's audit event types are lower-case snake_case words; anything else must not become a label value. */
    /** Cursor's event ids are UUIDs (Q15); anything id-like up to 64 characters is accepted. */
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** {@code GET /teams/groups}; the reserved {@code unassignedGroup} is included, flagged. */
    PayloadParser.Parsed<BillingGroups.Group> groups(JsonNode root) {
        List<BillingGroups.Group> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<JsonNode> nodes = new ArrayList<>();
        root.path("groups").forEach(nodes::add);
        JsonNode unassigned = root.get("unassignedGroup");
        for (JsonNode g : nodes) {
            if (!g.isObject() || text(g, "name") == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "billing group " + PayloadParser.idOf(g)
                        + " without a name"));
                continue;
            }
            addGroup(g, false, out, rejected);
        }
        if (unassigned != null && unassigned.isObject()) {
            addGroup(unassigned, true, out, rejected);
        }
        return new PayloadParser.Parsed<>(out, rejected);
    }

    /** One group; a group with an amount outside its range is refused whole (its sums would not add up). */
    private void addGroup(JsonNode g, boolean unassigned, List<BillingGroups.Group> out, List<Rejection> rejected) {
        String name = text(g, "name", unassigned ? "Unassigned" : "");
        RowCheck check = new RowCheck("billing group " + PayloadParser.idOf(g));
        List<BillingGroups.GroupMember> members = new ArrayList<>();
        for (JsonNode m : g.path("currentMembers")) {
            String email = m.isObject() ? email(m, "email") : null;
            if (email != null) {
                members.add(new BillingGroups.GroupMember(text(m, "userId"), email,
                        check.amount(m, "spendCents", RowCheck.MAX_SPEND_CENTS, BigDecimal.ZERO)));
            }
        }
        List<BillingGroups.DailySpend> daily = new ArrayList<>();
        for (JsonNode d : g.path("dailySpend")) {
            LocalDate day = d.isObject() ? day(text(d, "date")) : null;
            if (day != null) {
                daily.add(new BillingGroups.DailySpend(day, check.amount(d, "spendCents", RowCheck.MAX_SPEND_CENTS,
                        BigDecimal.ZERO)));
            }
        }
        BillingGroups.Group group = new BillingGroups.Group(text(g, "id", name), name, unassigned,
                check.amount(g, "spendCents", RowCheck.MAX_SPEND_CENTS, BigDecimal.ZERO), members, daily);
        if (check.failed()) {
            rejected.add(check.rejection());
        } else {
            out.add(group);
        }
    }

    /**
     * A team-level Analytics response: {@code models} rows become one point per model and field of
     * {@code model_breakdown}, {@code client-versions} rows one {@code user_count} point per version, and every
     * other metric one point per integer field of the row.
     */
    PayloadParser.Parsed<AnalyticsPoint> analytics(AnalyticsMetric metric, JsonNode root) {
        List<AnalyticsPoint> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode row : root.path("data")) {
            LocalDate day = row.isObject() ? day(text(row, row.has("date") ? "date" : "event_date")) : null;
            if (day == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, metric.path() + " row without a date"));
                continue;
            }
            RowCheck check = new RowCheck(metric.path() + " row date=" + day);
            List<AnalyticsPoint> points = new ArrayList<>();
            switch (metric) {
                case MODELS -> {
                    for (Iterator<Map.Entry<String, JsonNode>> it = row.path("model_breakdown").fields();
                         it.hasNext(); ) {
                        Map.Entry<String, JsonNode> model = it.next();
                        integers(day, model.getKey(), model.getValue(), points, check);
                    }
                }
                case CLIENT_VERSIONS -> {
                    String version = text(row, "client_version");
                    if (version == null) {
                        check.reject(Rejection.MISSING_KEY, "without a client_version");
                    } else {
                        points.add(new AnalyticsPoint(day, version, "user_count", check.count(row, "user_count")));
                    }
                }
                default -> integers(day, "", row, points, check);
            }
            if (check.failed()) {
                rejected.add(check.rejection());
            } else {
                out.addAll(points);
            }
        }
        return new PayloadParser.Parsed<>(out, rejected);
    }

    /**
     * Every integral number of {@code node} as a point; dates, strings and fractions are not counts. A negative or
     * absurd count fails the row's check.
     */
    private static void integers(LocalDate day, String dimension, JsonNode node, List<AnalyticsPoint> out,
                                 RowCheck check) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = field.getValue();
            if (v.isNumber() && v.decimalValue().scale() <= RowCheck.MAX_SCALE
                    && (v.isIntegralNumber() || v.decimalValue().stripTrailingZeros().scale() <= 0)) {
                out.add(new AnalyticsPoint(day, dimension, field.getKey(), check.count(node, field.getKey())));
            }
        }
    }

    /** AI Code Tracking {@code items[]}; commits without a hash are skipped. {@code message} is not read. */
    PayloadParser.Parsed<AiCodeCommit> commits(JsonNode root) {
        List<AiCodeCommit> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode c : root.path("items")) {
            String hash = c.isObject() ? text(c, "commitHash") : null;
            if (hash == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "commit without a hash"));
                continue;
            }
            RowCheck check = new RowCheck("commit " + hash);
            long total = check.count(c, "totalLinesAdded");
            long tab = check.count(c, "tabLinesAdded");
            long composer = check.count(c, "composerLinesAdded");
            long nonAiAdded = c.hasNonNull("nonAiLinesAdded") ? check.count(c, "nonAiLinesAdded")
                    : Math.max(0, total - tab - composer);
            AiCodeCommit commit = new AiCodeCommit(hash, text(c, "userId"), email(c, "userEmail"),
                    text(c, "repoName"), text(c, "branchName"), bool(c, "isPrimaryBranch"), text(c, "commitSource"),
                    total, check.count(c, "totalLinesDeleted"), tab, check.count(c, "tabLinesDeleted"), composer,
                    check.count(c, "composerLinesDeleted"), nonAiAdded, check.count(c, "nonAiLinesDeleted"),
                    instant(c, "commitTs"), instant(c, "createdAt"));
            if (check.failed()) {
                rejected.add(check.rejection());
            } else {
                out.add(commit);
            }
        }
        return new PayloadParser.Parsed<>(out, rejected);
    }

    /**
     * Audit-log {@code events[]}. Only the id, the time and the type are read (see {@link AuditEvent}); an event
     * without them, or whose type is not a plain snake_case word (it becomes a label value), is refused.
     */
    PayloadParser.Parsed<AuditEvent> auditEvents(JsonNode root) {
        List<AuditEvent> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            String id = e.isObject() ? text(e, "event_id") : null;
            if (id == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "audit event without an event_id"));
                continue;
            }
            if (!EVENT_ID.matcher(id).matches()) {
                // the id is the stored key and is named in the log: nothing long, multi-line or odd gets either far
                rejected.add(new Rejection(Rejection.MALFORMED, "audit event with an event_id that is not a UUID-like"
                        + " token of at most 64 characters"));
                continue;
            }
            Instant at = instant(e, "timestamp");
            String type = text(e, "event_type");
            if (at == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "audit event " + id + " without a timestamp"));
            } else if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                rejected.add(new Rejection(Rejection.MALFORMED, "audit event " + id + " with event_type "
                        + (type == null ? "missing" : "not a snake_case word")));
            } else {
                out.add(new AuditEvent(id, at, type));
            }
        }
        return new PayloadParser.Parsed<>(out, rejected);
    }

    /** P-items: another page while {@code page * pageSize < totalCount} and this page was full. */
    static boolean itemsHasNext(JsonNode root, int page, int pageSize, int itemsOnPage) {
        long total = count(root, "totalCount");
        long size = count(root, "pageSize");
        long effective = size > 0 ? size : pageSize;
        return itemsOnPage >= effective && (long) page * effective < total;
    }

    private static LocalDate day(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

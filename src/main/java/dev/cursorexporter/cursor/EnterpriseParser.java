package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.cursorexporter.cursor.JsonFields.bool;
import static dev.cursorexporter.cursor.JsonFields.count;
import static dev.cursorexporter.cursor.JsonFields.decimal;
import static dev.cursorexporter.cursor.JsonFields.email;
import static dev.cursorexporter.cursor.JsonFields.instant;
import static dev.cursorexporter.cursor.JsonFields.text;

/**
 * Maps the Enterprise responses (REFERENCE.md §2.9, §3.2, §4.1) to records, as tolerantly as
 * {@link PayloadParser}: rows without a key (e-mail, day, hash) are skipped and counted. Commit messages and file
 * names are never read.
 */
final class EnterpriseParser {

    /** {@code GET /teams/groups}; the reserved {@code unassignedGroup} is included, flagged. */
    PayloadParser.Parsed<BillingGroups.Group> groups(JsonNode root) {
        List<BillingGroups.Group> out = new ArrayList<>();
        int skipped = 0;
        List<JsonNode> nodes = new ArrayList<>();
        root.path("groups").forEach(nodes::add);
        JsonNode unassigned = root.get("unassignedGroup");
        for (JsonNode g : nodes) {
            if (!g.isObject() || text(g, "name") == null) {
                skipped++;
                continue;
            }
            out.add(group(g, false));
        }
        if (unassigned != null && unassigned.isObject()) {
            out.add(group(unassigned, true));
        }
        return new PayloadParser.Parsed<>(out, skipped);
    }

    private BillingGroups.Group group(JsonNode g, boolean unassigned) {
        List<BillingGroups.GroupMember> members = new ArrayList<>();
        for (JsonNode m : g.path("currentMembers")) {
            String email = m.isObject() ? email(m, "email") : null;
            if (email != null) {
                members.add(new BillingGroups.GroupMember(text(m, "userId"), email,
                        decimal(m, "spendCents", BigDecimal.ZERO)));
            }
        }
        List<BillingGroups.DailySpend> daily = new ArrayList<>();
        for (JsonNode d : g.path("dailySpend")) {
            LocalDate day = d.isObject() ? day(text(d, "date")) : null;
            if (day != null) {
                daily.add(new BillingGroups.DailySpend(day, decimal(d, "spendCents", BigDecimal.ZERO)));
            }
        }
        String name = text(g, "name", unassigned ? "Unassigned" : "");
        return new BillingGroups.Group(text(g, "id", name), name, unassigned,
                decimal(g, "spendCents", BigDecimal.ZERO), members, daily);
    }

    /**
     * A team-level Analytics response: {@code models} rows become one point per model and field of
     * {@code model_breakdown}, {@code client-versions} rows one {@code user_count} point per version, and every
     * other metric one point per integer field of the row.
     */
    PayloadParser.Parsed<AnalyticsPoint> analytics(AnalyticsMetric metric, JsonNode root) {
        List<AnalyticsPoint> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : root.path("data")) {
            LocalDate day = row.isObject() ? day(text(row, row.has("date") ? "date" : "event_date")) : null;
            if (day == null) {
                skipped++;
                continue;
            }
            switch (metric) {
                case MODELS -> {
                    for (Iterator<Map.Entry<String, JsonNode>> it = row.path("model_breakdown").fields();
                         it.hasNext(); ) {
                        Map.Entry<String, JsonNode> model = it.next();
                        integers(day, model.getKey(), model.getValue(), out);
                    }
                }
                case CLIENT_VERSIONS -> {
                    String version = text(row, "client_version");
                    if (version == null) {
                        skipped++;
                    } else {
                        out.add(new AnalyticsPoint(day, version, "user_count", count(row, "user_count")));
                    }
                }
                default -> integers(day, "", row, out);
            }
        }
        return new PayloadParser.Parsed<>(out, skipped);
    }

    /** Every integral number of {@code node} as a point; dates, strings and fractions are not counts. */
    private static void integers(LocalDate day, String dimension, JsonNode node, List<AnalyticsPoint> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = field.getValue();
            if (v.isNumber() && (v.isIntegralNumber() || v.decimalValue().stripTrailingZeros().scale() <= 0)) {
                out.add(new AnalyticsPoint(day, dimension, field.getKey(), v.decimalValue().longValue()));
            }
        }
    }

    /** AI Code Tracking {@code items[]}; commits without a hash are skipped. {@code message} is not read. */
    PayloadParser.Parsed<AiCodeCommit> commits(JsonNode root) {
        List<AiCodeCommit> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode c : root.path("items")) {
            String hash = c.isObject() ? text(c, "commitHash") : null;
            if (hash == null) {
                skipped++;
                continue;
            }
            long total = count(c, "totalLinesAdded");
            long tab = count(c, "tabLinesAdded");
            long composer = count(c, "composerLinesAdded");
            BigDecimal nonAi = decimal(c, "nonAiLinesAdded");
            long nonAiAdded = nonAi == null ? Math.max(0, total - tab - composer) : nonAi.longValue();
            out.add(new AiCodeCommit(hash, text(c, "userId"), email(c, "userEmail"), text(c, "repoName"),
                    text(c, "branchName"), bool(c, "isPrimaryBranch"), text(c, "commitSource"), total,
                    count(c, "totalLinesDeleted"), tab, count(c, "tabLinesDeleted"), composer,
                    count(c, "composerLinesDeleted"), nonAiAdded, count(c, "nonAiLinesDeleted"),
                    instant(c, "commitTs"), instant(c, "createdAt")));
        }
        return new PayloadParser.Parsed<>(out, skipped);
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

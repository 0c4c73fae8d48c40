package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import static dev.cursorexporter.cursor.JsonFields.bool;
import static dev.cursorexporter.cursor.JsonFields.count;
import static dev.cursorexporter.cursor.JsonFields.decimal;
import static dev.cursorexporter.cursor.JsonFields.email;
import static dev.cursorexporter.cursor.JsonFields.instant;
import static dev.cursorexporter.cursor.JsonFields.text;

/**
 * Maps one response page of each Admin endpoint to the domain records, tolerating every shape REFERENCE.md
 * describes (both profiles). Rows that cannot be keyed are skipped and counted, never fatal:
 * <ul>
 *   <li>members, spend and daily-usage rows without an e-mail — the store keys all three by e-mail (several
 *   e-mail-less rows would collide on one key) and {@link Member#email()} is never null;</li>
 *   <li>usage events without a readable timestamp — their time and content hash are undefined. Events without
 *   an e-mail are kept with a null e-mail (removed members, Q7).</li>
 * </ul>
 */
final class PayloadParser {

    /** One page's records plus how many rows were dropped. */
    record Parsed<T>(List<T> items, int skipped) {
        Parsed {
            items = List.copyOf(items);
        }
    }

    /** {@code GET /teams/members} → {@code teamMembers[]}. */
    Parsed<Member> members(JsonNode root) {
        List<Member> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : root.path("teamMembers")) {
            String email = row.isObject() ? email(row, "email") : null;
            if (email == null) {
                skipped++;
                continue;
            }
            out.add(new Member(text(row, "id"), email, text(row, "name", ""), text(row, "role", ""),
                    bool(row, "isRemoved", false)));
        }
        return new Parsed<>(out, skipped);
    }

    /** {@code POST /teams/spend} → {@code teamMemberSpend[]}; both spend shapes (Q6). */
    Parsed<MemberSpend> spendMembers(JsonNode root) {
        List<MemberSpend> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : root.path("teamMemberSpend")) {
            String email = row.isObject() ? email(row, "email") : null;
            if (email == null) {
                skipped++;
                continue;
            }
            out.add(new MemberSpend(text(row, "userId"), email, text(row, "name", ""), text(row, "role", ""),
                    // spendCents is present in every documented shape; 0 keeps MemberSpend's arithmetic safe
                    decimal(row, "spendCents", BigDecimal.ZERO),
                    decimal(row, "overallSpendCents"),
                    decimal(row, "includedSpendCents"),
                    decimal(row, "monthlyLimitDollars"),
                    decimal(row, "hardLimitOverrideDollars"),
                    decimal(row, "effectivePerUserLimitDollars")));
        }
        return new Parsed<>(out, skipped);
    }

    /** {@code subscriptionCycleStart} of a spend page (epoch ms, number or string), or null. */
    Instant cycleStart(JsonNode root) {
        return instant(root, "subscriptionCycleStart");
    }

    /** {@code POST /teams/daily-usage-data} → {@code data[]}. */
    Parsed<DailyUsageRow> dailyRows(JsonNode root) {
        List<DailyUsageRow> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : root.path("data")) {
            String email = row.isObject() ? email(row, "email") : null;
            LocalDate day = email == null ? null : day(row);
            if (day == null) {
                skipped++;
                continue;
            }
            long linesAdded = count(row, "totalLinesAdded");
            long linesDeleted = count(row, "totalLinesDeleted");
            long acceptedAdded = count(row, "acceptedLinesAdded");
            long acceptedDeleted = count(row, "acceptedLinesDeleted");
            long applies = count(row, "totalApplies");
            long accepts = count(row, "totalAccepts");
            long rejects = count(row, "totalRejects");
            long tabsShown = count(row, "totalTabsShown");
            long tabsAccepted = count(row, "totalTabsAccepted");
            long composer = count(row, "composerRequests");
            long chat = count(row, "chatRequests");
            long agent = count(row, "agentRequests");
            long cmdk = count(row, "cmdkUsages");
            long included = count(row, "subscriptionIncludedReqs");
            long apiKey = count(row, "apiKeyReqs");
            long usageBased = count(row, "usageBasedReqs");
            long bugbot = count(row, "bugbotUsages");
            Boolean isActive = bool(row, "isActive");
            // isActive is absent in some shapes (Q10); any recorded activity then means active
            boolean active = isActive != null ? isActive
                    : linesAdded + linesDeleted + applies + accepts + rejects + tabsShown + tabsAccepted + composer
                    + chat + agent + cmdk + included + apiKey + usageBased + bugbot > 0;
            out.add(new DailyUsageRow(day, text(row, "userId"), email, active,
                    linesAdded, linesDeleted, acceptedAdded, acceptedDeleted, applies, accepts, rejects,
                    tabsShown, tabsAccepted, composer, chat, agent, cmdk, included, apiKey, usageBased, bugbot,
                    text(row, "mostUsedModel", ""), text(row, "clientVersion", "")));
        }
        return new Parsed<>(out, skipped);
    }

    /** {@code day} ("YYYY-MM-DD") when present, else the UTC day of {@code date} (epoch ms). */
    private static LocalDate day(JsonNode row) {
        String day = text(row, "day");
        if (day != null) {
            try {
                return LocalDate.parse(day.trim());
            } catch (DateTimeParseException e) {
                // fall through to date
            }
        }
        Instant date = instant(row, "date");
        return date == null ? null : LocalDate.ofInstant(date, ZoneOffset.UTC);
    }

    /** {@code POST /teams/filtered-usage-events} → {@code usageEvents[]}. */
    Parsed<UsageEvent> events(JsonNode root) {
        List<UsageEvent> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : root.path("usageEvents")) {
            Instant timestamp = row.isObject() ? instant(row, "timestamp") : null;
            if (timestamp == null) {
                skipped++;
                continue;
            }
            String kind = text(row, "kind");
            if (kind == null) {
                kind = text(row, "kindLabel", ""); // Faros' name for the same field (Q3)
            }
            out.add(new UsageEvent(timestamp, email(row, "userEmail"), text(row, "model", ""), kind,
                    bool(row, "maxMode", false),
                    decimal(row, "requestsCosts", BigDecimal.ZERO),
                    tokenUsage(row.get("tokenUsage")),
                    decimal(row, "chargedCents"),
                    decimal(row, "cursorTokenFee"),
                    bool(row, "isHeadless", false),
                    text(row, "conversationId")));
        }
        return new Parsed<>(out, skipped);
    }

    private static TokenUsage tokenUsage(JsonNode node) {
        if (node == null || !node.isObject()) {
            return TokenUsage.NONE;
        }
        return new TokenUsage(count(node, "inputTokens"), count(node, "outputTokens"),
                count(node, "cacheWriteTokens"), count(node, "cacheReadTokens"),
                decimal(node, "totalCents", BigDecimal.ZERO));
    }
}

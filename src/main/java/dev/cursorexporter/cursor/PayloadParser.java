package dev.cursorexporter.cursor;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import static dev.cursorexporter.cursor.JsonFields.bool;
import static dev.cursorexporter.cursor.JsonFields.email;
import static dev.cursorexporter.cursor.JsonFields.instant;
import static dev.cursorexporter.cursor.JsonFields.text;

/**
 * Maps one response page of each Admin endpoint to the domain records, tolerating every shape REFERENCE.md
 * describes (both profiles). A row that cannot be used is refused on its own with a {@link Rejection} and the rest
 * of the page is kept:
 * <ul>
 *   <li>members, spend and daily-usage rows without an e-mail — the store keys all three by e-mail (several
 *   e-mail-less rows would collide on one key) and {@link Member#email()} is never null;</li>
 *   <li>usage events without a readable timestamp — their time and content hash are undefined. Events without
 *   an e-mail are kept with a null e-mail (removed members, Q7; service accounts, Q24, which
 *   {@link UsageEvent#userKey()} files under their name);</li>
 *   <li>rows with a count or amount outside its valid range ({@link RowCheck}).</li>
 * </ul>
 * Window and day checks need the request, so {@link CursorClient} applies them.
 */
final class PayloadParser {

    /** One page's records plus the rows refused. */
    record Parsed<T>(List<T> items, List<Rejection> rejected) {
        Parsed {
            items = List.copyOf(items);
            rejected = List.copyOf(rejected);
        }
    }

    /** {@code GET /teams/members} → {@code teamMembers[]}. */
    Parsed<Member> members(JsonNode root) {
        List<Member> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode row : root.path("teamMembers")) {
            String email = row.isObject() ? email(row, "email") : null;
            if (email == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "member " + idOf(row) + " without an e-mail"));
                continue;
            }
            out.add(new Member(text(row, "id"), email, text(row, "name", ""), text(row, "role", ""),
                    bool(row, "isRemoved", false)));
        }
        return new Parsed<>(out, rejected);
    }

    /** {@code POST /teams/spend} → {@code teamMemberSpend[]}; both spend shapes (Q6). */
    Parsed<MemberSpend> spendMembers(JsonNode root) {
        List<MemberSpend> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode row : root.path("teamMemberSpend")) {
            String email = row.isObject() ? email(row, "email") : null;
            if (email == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "spend row " + idOf(row) + " without an e-mail"));
                continue;
            }
            RowCheck check = new RowCheck("spend row userId=" + text(row, "userId"));
            MemberSpend spend = new MemberSpend(text(row, "userId"), email, text(row, "name", ""),
                    text(row, "role", ""),
                    // spendCents is present in every documented shape; 0 keeps MemberSpend's arithmetic safe
                    check.amount(row, "spendCents", RowCheck.MAX_SPEND_CENTS, BigDecimal.ZERO),
                    check.amount(row, "overallSpendCents", RowCheck.MAX_SPEND_CENTS),
                    check.amount(row, "includedSpendCents", RowCheck.MAX_SPEND_CENTS),
                    check.amount(row, "monthlyLimitDollars", RowCheck.MAX_LIMIT_DOLLARS),
                    check.amount(row, "hardLimitOverrideDollars", RowCheck.MAX_LIMIT_DOLLARS),
                    check.amount(row, "effectivePerUserLimitDollars", RowCheck.MAX_LIMIT_DOLLARS));
            if (check.failed()) {
                rejected.add(check.rejection());
            } else {
                out.add(spend);
            }
        }
        return new Parsed<>(out, rejected);
    }

    /** {@code subscriptionCycleStart} of a spend page (epoch ms, number or string), or null. */
    Instant cycleStart(JsonNode root) {
        return instant(root, "subscriptionCycleStart");
    }

    /** {@code POST /teams/daily-usage-data} → {@code data[]}. */
    Parsed<DailyUsageRow> dailyRows(JsonNode root) {
        List<DailyUsageRow> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode row : root.path("data")) {
            String email = row.isObject() ? email(row, "email") : null;
            LocalDate day = email == null ? null : day(row);
            if (day == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "daily-usage row " + idOf(row)
                        + " without an e-mail or day"));
                continue;
            }
            RowCheck check = new RowCheck("daily-usage row day=" + day + " userId=" + text(row, "userId"));
            long linesAdded = check.count(row, "totalLinesAdded");
            long linesDeleted = check.count(row, "totalLinesDeleted");
            long acceptedAdded = check.count(row, "acceptedLinesAdded");
            long acceptedDeleted = check.count(row, "acceptedLinesDeleted");
            long applies = check.count(row, "totalApplies");
            long accepts = check.count(row, "totalAccepts");
            long rejects = check.count(row, "totalRejects");
            long tabsShown = check.count(row, "totalTabsShown");
            long tabsAccepted = check.count(row, "totalTabsAccepted");
            long composer = check.count(row, "composerRequests");
            long chat = check.count(row, "chatRequests");
            long agent = check.count(row, "agentRequests");
            long cmdk = check.count(row, "cmdkUsages");
            long included = check.count(row, "subscriptionIncludedReqs");
            long apiKey = check.count(row, "apiKeyReqs");
            long usageBased = check.count(row, "usageBasedReqs");
            long bugbot = check.count(row, "bugbotUsages");
            if (check.failed()) {
                rejected.add(check.rejection());
                continue;
            }
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
        return new Parsed<>(out, rejected);
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

    /** Longest service-account name or id kept; Cursor's are short ({@code sa_…} ids, display names). */
    static final int MAX_CALLER_CHARS = 200;

    /** {@code POST /teams/filtered-usage-events} → {@code usageEvents[]}. */
    Parsed<UsageEvent> events(JsonNode root) {
        List<UsageEvent> out = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode row : root.path("usageEvents")) {
            Instant timestamp = row.isObject() ? instant(row, "timestamp") : null;
            if (timestamp == null) {
                rejected.add(new Rejection(Rejection.MISSING_KEY, "usage event without a readable timestamp"));
                continue;
            }
            String kind = text(row, "kind");
            if (kind == null) {
                kind = text(row, "kindLabel", ""); // Faros' name for the same field (Q3)
            }
            String model = text(row, "model", "");
            RowCheck check = new RowCheck("usage event timestamp=" + timestamp.toEpochMilli() + " model=" + model);
            String serviceAccount = serviceAccount(row);
            if (serviceAccount != null && serviceAccount.length() > MAX_CALLER_CHARS) {
                // it becomes the user label sa:<name>: a hostile length would reach every scrape
                check.reject(Rejection.TOO_LARGE, "service account of " + serviceAccount.length() + " characters");
            }
            UsageEvent event = new UsageEvent(timestamp, email(row, "userEmail"), model, kind,
                    bool(row, "maxMode", false),
                    check.amount(row, "requestsCosts", RowCheck.MAX_EVENT_CENTS, BigDecimal.ZERO),
                    tokenUsage(row.get("tokenUsage"), check),
                    check.amount(row, "chargedCents", RowCheck.MAX_EVENT_CENTS),
                    check.amount(row, "cursorTokenFee", RowCheck.MAX_EVENT_CENTS),
                    bool(row, "isHeadless", false),
                    text(row, "conversationId"),
                    actor(row, serviceAccount),
                    serviceAccount);
            if (check.failed()) {
                rejected.add(check.rejection());
            } else {
                out.add(event);
            }
        }
        return new Parsed<>(out, rejected);
    }

    /** Who spent the event, from its caller fields (§2.5, Q24); blank ids count as absent. */
    private static Actor actor(JsonNode row, String serviceAccount) {
        return Actor.of(serviceAccount, text(row, "automationId"), text(row, "cloudAgentId"));
    }

    /** A service account's name (what people recognise), else its id; null for other callers. */
    private static String serviceAccount(JsonNode row) {
        String name = text(row, "serviceAccountName");
        String named = name == null || name.isBlank() ? text(row, "serviceAccountId") : name;
        return named == null || named.isBlank() ? null : named.trim();
    }

    private static TokenUsage tokenUsage(JsonNode node, RowCheck check) {
        if (node == null || !node.isObject()) {
            return TokenUsage.NONE;
        }
        return new TokenUsage(check.count(node, "inputTokens"), check.count(node, "outputTokens"),
                check.count(node, "cacheWriteTokens"), check.count(node, "cacheReadTokens"),
                check.amount(node, "totalCents", RowCheck.MAX_EVENT_CENTS, BigDecimal.ZERO));
    }

    /** A row's {@code id}/{@code userId} for a log line, never its e-mail. */
    static String idOf(JsonNode row) {
        String id = row.isObject() ? text(row, row.has("userId") ? "userId" : "id") : null;
        return id == null ? "(no id)" : "id=" + id;
    }
}

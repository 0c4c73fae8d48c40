package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The four Admin API endpoints: request validation, filtering, pagination, and the response envelope. */
final class CursorEndpoints {
    private static final Set<String> HOSTING_TYPES =
            Set.of("CLOUD", "SELF_HOSTED", "SELF_HOSTED_POOL", "SELF_HOSTED_MACHINE");
    private static final long DEFAULT_EVENTS_PAGE_SIZE = 100;

    private final UsageModel usage;
    private final CursorJson json;
    private final SimulatorOptions options;
    private final Faults faults;

    CursorEndpoints(UsageModel usage, CursorJson json, SimulatorOptions options, Faults faults) {
        this.usage = usage;
        this.json = json;
        this.options = options;
        this.faults = faults;
    }

    /** {@code GET /teams/members}. */
    ObjectNode members() {
        ObjectNode root = json.object();
        ArrayNode list = root.putArray("teamMembers");
        for (SimMember m : usage.org().members()) {
            if (!m.removed() || options.removedMembers() == RemovedMembers.LISTED) {
                list.add(json.member(m));
            }
        }
        return root;
    }

    /**
     * {@code POST /teams/daily-usage-data}: rows for every current member with a membership on each day of the
     * range (inactive days as zero rows). Paginated by users only when both {@code page} and {@code pageSize} are
     * sent; without them docs-latest returns only active rows without {@code isActive}, observed-2026-01 returns
     * all rows with it (REFERENCE.md Q10). Removed members have no rows.
     */
    ObjectNode dailyUsage(RequestBody body) {
        long nowMs = usage.now().toEpochMilli();
        long[] range = body.dateRange(options.maxRangeDays());
        boolean paginated = body.has("page") && body.has("pageSize");
        long page = paginated ? body.positiveOr("page", 1) : 1;
        long pageSize = paginated ? body.positiveOr("pageSize", 1) : Long.MAX_VALUE;
        long startDay = UsageModel.dayOf(range[0]);
        long endDay = UsageModel.dayOf(range[1]);

        List<SimMember> users = usage.org().members().stream()
                .filter(m -> !m.removed() && m.joinDay() <= endDay)
                .toList();
        List<SimMember> pageUsers = slice(users, page, pageSize);

        ObjectNode root = json.object();
        ObjectNode period = root.putObject("period");
        period.put("startDate", range[0]);
        period.put("endDate", UsageModel.dayStartMs(endDay + 1) - 1); // Q11: end of the endDate's UTC day
        ArrayNode data = root.putArray("data");
        long firstDay = Math.max(startDay, usage.firstServedDay(nowMs));
        long lastDay = Math.min(endDay, UsageModel.dayOf(nowMs));
        boolean withIsActive = paginated || options.profile() == Profile.OBSERVED_2026_01;
        for (long day = firstDay; day <= lastDay; day++) {
            for (SimMember m : pageUsers) {
                if (!m.memberOn(day)) {
                    continue;
                }
                DailyActivity activity = usage.daily(m, day, nowMs);
                if (!withIsActive && !activity.active()) {
                    continue;
                }
                data.add(json.dailyRow(m, activity, withIsActive));
            }
        }
        if (paginated) {
            long totalPages = ceilDiv(users.size(), pageSize);
            ObjectNode p = root.putObject("pagination");
            p.put("page", page);
            p.put("pageSize", pageSize);
            p.put("totalUsers", users.size());
            p.put("totalPages", totalPages);
            p.put("hasNextPage", page < totalPages);
            p.put("hasPreviousPage", page > 1);
        }
        return root;
    }

    /** {@code POST /teams/spend}: current members' spend in the current billing cycle, P-spend pagination. */
    ObjectNode spend(RequestBody body) {
        Instant now = usage.now();
        long nowMs = now.toEpochMilli();
        long page = body.positiveOr("page", 1);
        Long requestedPageSize = body.has("pageSize") ? body.positiveOr("pageSize", 1) : null;
        String search = body.optionalString("searchTerm");
        String sortBy = orDefault(body.optionalString("sortBy"), "date");
        String direction = orDefault(body.optionalString("sortDirection"), "desc");
        if (!Set.of("amount", "date", "user").contains(sortBy)) {
            throw ApiError.badRequest("sortBy must be one of amount, date, user");
        }
        if (!Set.of("asc", "desc").contains(direction)) {
            throw ApiError.badRequest("sortDirection must be asc or desc");
        }

        long cycleStart = usage.org().cycleStart(now).toEpochMilli();
        List<UsageModel.ExactSpend> exact = usage.cycleSpend(cycleStart, nowMs);
        List<SimMember> current = usage.org().currentMembers();
        List<MemberRow> rows = new ArrayList<>();
        for (SimMember m : current) {
            rows.add(new MemberRow(m, SpendFigures.of(options.profile(), exact.get(m.index()))));
        }
        int limited = 0;
        BigDecimal max = BigDecimal.ZERO;
        for (MemberRow r : rows) {
            Integer limit = r.member().monthlyLimitDollars();
            if (limit != null && r.spend().cycleSpendCents().compareTo(BigDecimal.valueOf(limit * 100L)) >= 0) {
                limited++;
            }
            max = max.max(r.spend().cycleSpendCents());
        }
        if (search != null && !search.isBlank()) {
            String needle = search.toLowerCase(Locale.ROOT);
            rows.removeIf(r -> !r.member().name().toLowerCase(Locale.ROOT).contains(needle)
                    && !r.member().email().toLowerCase(Locale.ROOT).contains(needle));
        }
        Comparator<MemberRow> order = switch (sortBy) {
            case "amount" -> Comparator.comparing(r -> r.spend().cycleSpendCents());
            case "user" -> Comparator.comparing(r -> r.member().key());
            default -> Comparator.comparingLong(r -> r.member().joinDay());
        };
        if (direction.equals("desc")) {
            order = order.reversed();
        }
        rows.sort(order.thenComparingInt(r -> r.member().index()));

        long pageSize = requestedPageSize == null ? Math.max(1, rows.size()) : requestedPageSize;
        ObjectNode root = json.object();
        ArrayNode list = root.putArray("teamMemberSpend");
        for (MemberRow r : slice(rows, page, pageSize)) {
            list.add(json.spendRow(r.member(), r.spend()));
        }
        root.put("subscriptionCycleStart", cycleStart);
        root.put("totalMembers", rows.size());
        root.put("totalPages", requestedPageSize == null ? 1 : ceilDiv(rows.size(), pageSize));
        root.put("limitedUsersCount", limited);
        root.put("maxUserSpendCents", max.longValue());
        return root;
    }

    private record MemberRow(SimMember member, SpendFigures spend) {
    }

    /**
     * {@code POST /teams/filtered-usage-events}: both bounds inclusive, newest first across pages, P-events
     * pagination; pages past the end are empty.
     */
    ObjectNode usageEvents(RequestBody body) {
        long nowMs = usage.now().toEpochMilli();
        long[] range = body.dateRange(options.maxRangeDays());
        long page = body.positiveOr("page", 1);
        long pageSize = body.positiveOr("pageSize", DEFAULT_EVENTS_PAGE_SIZE);
        if (pageSize > options.maxEventsPageSize()) {
            throw ApiError.badRequest("pageSize cannot exceed " + options.maxEventsPageSize());
        }
        String email = body.optionalString("email");
        String wantedEmail = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
        String hostingType = body.optionalString("hostingType");
        if (hostingType != null && !HOSTING_TYPES.contains(hostingType)) {
            throw ApiError.badRequest("Invalid hostingType");
        }

        long from = Math.max(range[0], UsageModel.dayStartMs(usage.firstServedDay(nowMs)));
        long to = Math.min(range[1], nowMs);
        List<SimEvent> matching = new ArrayList<>();
        List<SimMember> members = usage.org().members();
        for (long day = UsageModel.dayOf(to); from <= to && day >= UsageModel.dayOf(from); day--) {
            for (SimEvent e : usage.day(day).newestFirst()) {
                if (e.timestamp() < from || e.timestamp() > to) {
                    continue;
                }
                SimMember m = members.get(e.memberIndex());
                boolean sentWithoutEmail = options.profile() == Profile.DOCS_LATEST && e.caller().withoutEmail();
                if (wantedEmail != null && (m.removed() || sentWithoutEmail || !m.key().equals(wantedEmail))) {
                    continue;
                }
                if (hostingType != null && !(hostingType.equals("CLOUD") && e.headless())) {
                    continue; // only cloud-agent runs have a hosting type here, and they are all Cursor-hosted
                }
                matching.add(e);
            }
        }

        long numPages = ceilDiv(matching.size(), pageSize);
        ObjectNode root = json.object();
        root.put("totalUsageEventsCount", matching.size());
        ObjectNode p = root.putObject("pagination");
        p.put("numPages", numPages);
        p.put("currentPage", page);
        p.put("pageSize", pageSize);
        // Endless paging (a fault): every page says another follows, and pages past the end repeat earlier ones.
        boolean endless = faults.endlessPages() && numPages > 0;
        long served = endless && page > numPages ? (page - 1) % numPages + 1 : page;
        p.put("hasNextPage", endless || page < numPages);
        p.put("hasPreviousPage", page > 1);
        ArrayNode list = root.putArray("usageEvents");
        for (SimEvent e : slice(matching, served, pageSize)) {
            list.add(json.event(e, members.get(e.memberIndex())));
        }
        ObjectNode period = root.putObject("period");
        period.put("startDate", range[0]);
        period.put("endDate", range[1]);
        return root;
    }

    private static <T> List<T> slice(List<T> all, long page, long pageSize) {
        long from = (page - 1) * pageSize;
        if (from >= all.size() || from < 0) {
            return List.of();
        }
        long to = Math.min(all.size(), from + pageSize);
        return all.subList((int) from, (int) to);
    }

    private static long ceilDiv(long n, long d) {
        return n == 0 ? 0 : (n - 1) / d + 1;
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }
}

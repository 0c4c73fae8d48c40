package dev.cursorexporter.store;

import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Builders for the cursor input records, with defaults for everything a test does not care about. */
final class Fixtures {

    private Fixtures() {
    }

    static Member member(String email, String userId, boolean removed) {
        return new Member(userId, email, "Name of " + email, "member", removed);
    }

    static MemberSpend newShapeSpend(String email, String spend, String overall, Integer limitDollars) {
        return new MemberSpend("user_" + email, email, "", "member", dec(spend), dec(overall), null,
                limitDollars == null ? null : BigDecimal.valueOf(limitDollars), BigDecimal.ZERO,
                limitDollars == null ? null : BigDecimal.valueOf(limitDollars));
    }

    static MemberSpend oldShapeSpend(String email, String spend, String included) {
        return new MemberSpend(null, email, "", "member", dec(spend), null, dec(included), null, null, null);
    }

    /** A daily row whose every counter is {@code n} (so upward/downward restatement is easy to express). */
    static DailyUsageRow daily(LocalDate day, String email, boolean active, long n) {
        return new DailyUsageRow(day, "user_" + email, email, active, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n,
                n, n, active ? "gpt-5.2" : "", active ? "2.4.27" : "");
    }

    static DailyUsageRow dailyDetailed(LocalDate day, String email, boolean active, long linesAdded,
                                       long acceptedLinesAdded, long tabsShown, long tabsAccepted, long chat,
                                       long composer, long agent, long cmdk, long bugbot) {
        return new DailyUsageRow(day, null, email, active, linesAdded, 0, acceptedLinesAdded, 0, 0, 0, 0,
                tabsShown, tabsAccepted, composer, chat, agent, cmdk, 0, 0, 0, bugbot, "", "");
    }

    static Instant at(LocalDate day, int hour, int minute, int second, int milli) {
        return day.atTime(hour, minute, second).toInstant(ZoneOffset.UTC).plusMillis(milli);
    }

    /** A usage-based token event charged {@code chargedCents} (a decimal string, as Cursor sends it). */
    static UsageEvent event(Instant ts, String email, String model, String chargedCents) {
        return new UsageEvent(ts, email, model, "Usage-based", false, new BigDecimal("1.0"),
                new TokenUsage(100, 200, 30, 40, dec(chargedCents)), dec(chargedCents), null, false, null);
    }

    static UsageEvent event(Instant ts, String email, String model, String kind, TokenUsage tokens,
                            String chargedCents, String fee) {
        return new UsageEvent(ts, email, model, kind, false, BigDecimal.ONE, tokens, dec(chargedCents), dec(fee),
                false, null);
    }

    static BigDecimal dec(String s) {
        return s == null ? null : new BigDecimal(s);
    }
}

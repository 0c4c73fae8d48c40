package dev.cursorexporter.budget;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A Cursor billing cycle: from {@code subscriptionCycleStart} to the same day-of-month and time one month later
 * (UTC), clamped to the last day of a shorter month (a cycle starting on 31 January ends on 28/29 February).
 */
public record BillingCycle(Instant start, Instant end) {

    public static BillingCycle startingAt(Instant start) {
        return new BillingCycle(start, plusMonths(start, 1));
    }

    /**
     * The cycle containing {@code now}, given the last start Cursor reported. The stored start is a cycle behind
     * when the spend source has not been polled since the cycle rolled over; months are added to the reported
     * anchor (not chained), so a 31st anchor stays on the 31st where the month has one.
     */
    public static BillingCycle containing(Instant reportedStart, Instant now) {
        int months = 0;
        while (!plusMonths(reportedStart, months + 1).isAfter(now)) {
            months++;
        }
        return new BillingCycle(plusMonths(reportedStart, months), plusMonths(reportedStart, months + 1));
    }

    private static Instant plusMonths(Instant instant, int months) {
        return ZonedDateTime.ofInstant(instant, ZoneOffset.UTC).plusMonths(months).toInstant();
    }
}

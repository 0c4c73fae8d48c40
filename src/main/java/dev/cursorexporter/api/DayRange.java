package dev.cursorexporter.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The UTC days a datasource request covers, both ends included. Bounds come as {@code YYYY-MM-DD}, epoch
 * milliseconds (Infinity's {@code ${__timeFrom}}) or ISO-8601 instants with {@code Z} or an offset (Grafana's
 * {@code range.from}); an instant counts for the UTC day it falls on.
 */
record DayRange(LocalDate from, LocalDate to) {
    /** A year and a leap day: "the last 12 months" always fits. */
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;

    private static final String FORMATS = "expected YYYY-MM-DD, epoch milliseconds or ISO-8601 such as "
            + "2026-03-01T00:00:00Z";

    /**
     * A missing {@code to} is today; a missing {@code from} is {@value #DEFAULT_DAYS} days before {@code to}, both
     * included.
     *
     * @param fromName how the request names the lower bound in errors ({@code from}, {@code range.from})
     */
    static DayRange resolve(Optional<String> from, Optional<String> to, LocalDate today, String fromName,
                            String toName) {
        Optional<LocalDate> f = from.map(v -> day(v, fromName));
        Optional<LocalDate> t = to.map(v -> day(v, toName));
        LocalDate end = t.orElse(today);
        LocalDate start = f.orElseGet(() -> end.minusDays(DEFAULT_DAYS - 1L));
        if (start.isAfter(end)) {
            throw new BadRequest(fromName + " " + start + " is after " + toName + " " + end);
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        if (days > MAX_DAYS) {
            throw new BadRequest("range " + start + " to " + end + " is " + days + " days; at most " + MAX_DAYS
                    + " are allowed");
        }
        return new DayRange(start, end);
    }

    static LocalDate day(String value, String name) {
        String v = value.strip();
        try {
            if (v.matches("-?\\d{1,19}")) {
                return LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(v)), ZoneOffset.UTC);
            }
            if (v.length() == 10) {
                return LocalDate.parse(v);
            }
            return OffsetDateTime.parse(v).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeException | NumberFormatException e) {
            throw new BadRequest(name + ": cannot read '" + value + "' as a day (" + FORMATS + ")");
        }
    }
}

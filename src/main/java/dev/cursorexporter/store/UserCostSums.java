package dev.cursorexporter.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Usage-event cost of one e-mail summed by event day over several day ranges (see {@link Store#userCostSums}).
 *
 * @param email      lower-cased e-mail, "" for events without one
 * @param costsCents one sum per requested range, in the order asked, in cents (exact)
 */
public record UserCostSums(String email, List<BigDecimal> costsCents) {

    public UserCostSums {
        Objects.requireNonNull(email, "email");
        costsCents = List.copyOf(costsCents);
    }

    /** UTC days {@code from}..{@code to}, inclusive. */
    public record Range(LocalDate from, LocalDate to) {
        public Range {
            SqliteStore.checkRange(from, to);
        }

        public boolean contains(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }
}

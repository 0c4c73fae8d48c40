package dev.cursorexporter.store;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Usage-event sums of one day and group (from the rollups). A dimension not grouped by is null.
 *
 * @param team     the team of the stored assignment when grouped by team and location
 *                 ({@link DailyQueries#UNASSIGNED} for e-mails it does not cover yet)
 * @param requests events counted with their multiplicity
 * @param actor    {@code human}, {@code cloud_agent}, {@code automation} or {@code service_account} when grouped
 *                 by actor
 */
public record DailyUsageCost(LocalDate day, String account, String email, String team, String location,
                             String model, String billing, long requests,
                             BigDecimal costCents, long inputTokens, long outputTokens, long cacheReadTokens,
                             long cacheWriteTokens, String actor) {

    /** A row not grouped by actor. */
    public DailyUsageCost(LocalDate day, String account, String email, String team, String location, String model,
                          String billing, long requests, BigDecimal costCents, long inputTokens, long outputTokens,
                          long cacheReadTokens, long cacheWriteTokens) {
        this(day, account, email, team, location, model, billing, requests, costCents, inputTokens, outputTokens,
                cacheReadTokens, cacheWriteTokens, null);
    }

    /** A row not grouped by team and location. */
    public DailyUsageCost(LocalDate day, String account, String email, String model, String billing, long requests,
                          BigDecimal costCents, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheWriteTokens) {
        this(day, account, email, null, null, model, billing, requests, costCents, inputTokens, outputTokens,
                cacheReadTokens, cacheWriteTokens);
    }
}

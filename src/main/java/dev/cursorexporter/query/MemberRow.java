package dev.cursorexporter.query;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One member for the datasource's member table. Money in exact dollars; null where the store has nothing (no
 * spend fetched for the member, no limit, never active).
 *
 * @param user  the member's user value (see {@link DatasourceQueries})
 * @param name  null when e-mails are hidden (hash user-label mode)
 * @param email null when e-mails are hidden (hash user-label mode)
 */
public record MemberRow(String account, String user, String name, String email, String team, String location,
                        String role, BigDecimal cycleSpendUsd, BigDecimal onDemandSpendUsd, BigDecimal spendLimitUsd,
                        LocalDate lastActiveDay, boolean removed) {
}

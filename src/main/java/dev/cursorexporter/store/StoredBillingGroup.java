package dev.cursorexporter.store;

import java.math.BigDecimal;

/** A billing group of the current cycle; {@code unassigned} for Cursor's reserved group. */
public record StoredBillingGroup(String id, String name, boolean unassigned, BigDecimal spendCents, int members) {
}

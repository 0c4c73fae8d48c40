package dev.cursorexporter.store;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.BillingClass;

import java.math.BigDecimal;

/**
 * Sums over stored usage events of one (e-mail, model, billing class, actor); e-mail "" = events without one, a
 * service account without e-mail is {@code sa:<name or id>}.
 */
public record UsageTotals(String email, String model, BillingClass billing, long requests, BigDecimal costCents,
                          long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                          Actor actor) {

    public UsageTotals {
        actor = actor == null ? Actor.HUMAN : actor;
    }

    /** A person's sums (every event without caller fields). */
    public UsageTotals(String email, String model, BillingClass billing, long requests, BigDecimal costCents,
                       long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(email, model, billing, requests, costCents, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens,
                Actor.HUMAN);
    }
}

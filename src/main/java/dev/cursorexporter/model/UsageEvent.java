package dev.cursorexporter.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One entry of {@code usageEvents[]} from {@code POST /teams/filtered-usage-events}, normalised.
 *
 * @param timestamp      event time (sent as an epoch-ms string, Q… §1.5)
 * @param userEmail      lower-cased e-mail, or null for removed members (Q7)
 * @param model          model id verbatim ({@code default} = Auto), "" when absent
 * @param kind           billing label verbatim (Q3), "" when absent
 * @param tokenUsage     {@link TokenUsage#NONE} when the event has none (request-based events)
 * @param chargedCents   null when absent (Jan-2026 data)
 * @param cursorTokenFee null when absent
 * @param conversationId null when absent
 */
public record UsageEvent(Instant timestamp, String userEmail, String model, String kind, boolean maxMode,
                         BigDecimal requestsCosts, TokenUsage tokenUsage, BigDecimal chargedCents,
                         BigDecimal cursorTokenFee, boolean headless, String conversationId) {

    public BillingClass billing() {
        return BillingClass.fromKind(kind);
    }

    /**
     * Cost in cents as DESIGN.md defines it: {@code chargedCents} when present, else
     * {@code tokenUsage.totalCents + cursorTokenFee}; 0 for any "Not Charged" kind.
     */
    public BigDecimal costCents() {
        if (billing() == BillingClass.NOT_CHARGED) {
            return BigDecimal.ZERO;
        }
        if (chargedCents != null) {
            return chargedCents;
        }
        BigDecimal fee = cursorTokenFee == null ? BigDecimal.ZERO : cursorTokenFee;
        return tokenUsage.totalCents().add(fee);
    }

    /**
     * Content hash used to store events idempotently (Q12): two events with the same hash are
     * indistinguishable, so the store keeps the hash with a multiplicity. Only fields every schema version has
     * (Q4) are hashed: if Cursor later adds {@code chargedCents} or {@code conversationId} to events already
     * stored, re-reading them must still match, not count them again.
     */
    public String contentHash() {
        String canonical = String.join("\u001f",
                Long.toString(timestamp.toEpochMilli()),
                nullToEmpty(userEmail),
                nullToEmpty(model),
                nullToEmpty(kind),
                Boolean.toString(maxMode),
                plain(requestsCosts),
                Long.toString(tokenUsage.inputTokens()),
                Long.toString(tokenUsage.outputTokens()),
                Long.toString(tokenUsage.cacheWriteTokens()),
                Long.toString(tokenUsage.cacheReadTokens()),
                plain(tokenUsage.totalCents()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String plain(BigDecimal d) {
        return d == null ? "" : d.stripTrailingZeros().toPlainString();
    }
}

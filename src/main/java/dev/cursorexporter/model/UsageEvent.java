package dev.cursorexporter.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

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
 * @param actor          who spent it ({@link Actor#of}); {@link Actor#HUMAN} for events without caller fields
 * @param serviceAccount {@code serviceAccountName}, else {@code serviceAccountId}, of a service-account event;
 *                       null otherwise
 */
public record UsageEvent(Instant timestamp, String userEmail, String model, String kind, boolean maxMode,
                         BigDecimal requestsCosts, TokenUsage tokenUsage, BigDecimal chargedCents,
                         BigDecimal cursorTokenFee, boolean headless, String conversationId, Actor actor,
                         String serviceAccount) {

    /** Prefix of the user key of a service-account event without an e-mail (DESIGN.md, {@code actor} row). */
    public static final String SERVICE_ACCOUNT_PREFIX = "sa:";

    public UsageEvent {
        actor = actor == null ? Actor.HUMAN : actor;
    }

    /** An event without caller fields: a person's (every event before Cursor added them, Q4). */
    public UsageEvent(Instant timestamp, String userEmail, String model, String kind, boolean maxMode,
                      BigDecimal requestsCosts, TokenUsage tokenUsage, BigDecimal chargedCents,
                      BigDecimal cursorTokenFee, boolean headless, String conversationId) {
        this(timestamp, userEmail, model, kind, maxMode, requestsCosts, tokenUsage, chargedCents, cursorTokenFee,
                headless, conversationId, Actor.HUMAN, null);
    }

    /**
     * Whom the event is filed under: the e-mail when it has one, else {@code sa:<name or id>} for a service
     * account (which has no e-mail, Q24; a label of its own rather than folded into {@code unknown}), else null
     * (a removed member, Q7).
     */
    public String userKey() {
        if (userEmail != null) {
            return userEmail;
        }
        if (actor == Actor.SERVICE_ACCOUNT && serviceAccount != null && !serviceAccount.isBlank()) {
            return SERVICE_ACCOUNT_PREFIX + serviceAccount.trim().toLowerCase(Locale.ROOT);
        }
        return null;
    }

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
     * stored, re-reading them must still match, not count them again. For the same reason the caller fields
     * ({@link #actor}, the service account) are left out: stores written before they were read hold those events
     * under this hash, and a re-read must find them, not add them twice.
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

package dev.cursorexporter.simulator;

import java.math.BigDecimal;

/**
 * One generated usage event: the fields Cursor sends plus the editor activity that daily usage aggregates
 * (never sent as part of the event).
 *
 * @param timestamp      epoch ms
 * @param memberIndex    {@link SimMember#index()} of the member who made it
 * @param seq            position within the member's day; breaks timestamp ties deterministically
 * @param totalCents     model cost ({@code tokenUsage.totalCents}), exactly the decimal written to JSON
 * @param cursorTokenFee Cursor's token fee in cents, 0 when none
 * @param chargedCents   what the event costs: {@code totalCents + cursorTokenFee} for charged kinds, else 0
 * @param conversationId agent session, or null
 * @param cloudAgentId   set on headless (cloud agent) events, else null
 * @param caller         the automation or service account behind the event, or {@link Caller#PERSON}
 */
record SimEvent(
        long timestamp,
        int memberIndex,
        int seq,
        String model,
        EventKind kind,
        boolean maxMode,
        double requestsCosts,
        boolean tokenBased,
        boolean headless,
        Tokens tokens,
        BigDecimal totalCents,
        BigDecimal cursorTokenFee,
        BigDecimal chargedCents,
        String conversationId,
        String cloudAgentId,
        EditorActivity activity,
        Caller caller) {

    /**
     * This event as Cursor restates it when it finalises billing (REFERENCE.md Q21): re-classified as "Errored,
     * Not Charged" (costs nothing; the model cost stays reported), or, when {@code reclassify} is false, with its
     * model cost and token fee restated to half. Editor activity is what happened and stays.
     */
    SimEvent corrected(boolean reclassify) {
        if (reclassify) {
            return new SimEvent(timestamp, memberIndex, seq, model, EventKind.ERRORED, maxMode, requestsCosts,
                    tokenBased, headless, tokens, totalCents, BigDecimal.ZERO, BigDecimal.ZERO, conversationId,
                    cloudAgentId, activity, caller);
        }
        BigDecimal half = new BigDecimal("0.5");
        BigDecimal total = totalCents.multiply(half);
        BigDecimal fee = cursorTokenFee.multiply(half);
        return new SimEvent(timestamp, memberIndex, seq, model, kind, maxMode, requestsCosts, tokenBased, headless,
                tokens, total, fee, kind.charged() ? total.add(fee) : BigDecimal.ZERO, conversationId, cloudAgentId,
                activity, caller);
    }

    record Tokens(long input, long output, long cacheWrite, long cacheRead) {
        static final Tokens NONE = new Tokens(0, 0, 0, 0);

        long total() {
            return input + output + cacheWrite + cacheRead;
        }
    }

    /** What the editor recorded alongside the request; feeds the daily-usage row of that member and day. */
    record EditorActivity(
            Feature feature,
            int linesAdded,
            int linesDeleted,
            int acceptedLinesAdded,
            int acceptedLinesDeleted,
            int applies,
            int accepts,
            int rejects,
            int tabsShown,
            int tabsAccepted,
            String extension) {
    }
}

package dev.cursorexporter.simulator;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Writes the simulator's model in Cursor's wire shapes, field by field, for one {@link Profile}. This is the only
 * place that knows which fields a profile sends, omits, nulls or blanks.
 */
final class CursorJson {
    /** Writes BigDecimals as plain decimals and keeps their digits exactly as generated. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Profile profile;

    CursorJson(Profile profile) {
        this.profile = profile;
    }

    ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    ObjectNode member(SimMember m) {
        ObjectNode n = object();
        n.put("name", m.name());
        n.put("email", m.email());
        n.put("id", m.id());
        n.put("role", m.role());
        n.put("isRemoved", m.removed());
        return n;
    }

    ObjectNode dailyRow(SimMember m, DailyActivity a, boolean withIsActive) {
        ObjectNode n = object();
        n.put("date", UsageModel.dayStartMs(a.epochDay()));
        n.put("day", LocalDate.ofEpochDay(a.epochDay()).toString());
        n.put("userId", m.id());
        n.put("email", m.email());
        if (withIsActive) {
            n.put("isActive", a.active());
        }
        n.put("totalLinesAdded", a.totalLinesAdded());
        n.put("totalLinesDeleted", a.totalLinesDeleted());
        n.put("acceptedLinesAdded", a.acceptedLinesAdded());
        n.put("acceptedLinesDeleted", a.acceptedLinesDeleted());
        n.put("totalApplies", a.totalApplies());
        n.put("totalAccepts", a.totalAccepts());
        n.put("totalRejects", a.totalRejects());
        n.put("totalTabsShown", a.totalTabsShown());
        n.put("totalTabsAccepted", a.totalTabsAccepted());
        n.put("composerRequests", a.composerRequests());
        n.put("chatRequests", a.chatRequests());
        n.put("agentRequests", a.agentRequests());
        n.put("cmdkUsages", a.cmdkUsages());
        n.put("subscriptionIncludedReqs", a.subscriptionIncludedReqs());
        n.put("apiKeyReqs", a.apiKeyReqs());
        n.put("usageBasedReqs", a.usageBasedReqs());
        n.put("bugbotUsages", a.bugbotUsages());
        putOptionalString(n, "mostUsedModel", a.mostUsedModel());
        putOptionalString(n, "applyMostUsedExtension", a.applyMostUsedExtension());
        putOptionalString(n, "tabMostUsedExtension", a.tabMostUsedExtension());
        String version = a.active() ? m.clientVersion() : null;
        if (profile == Profile.DOCS_LATEST) {
            n.put("clientVersion", version);
        } else if (version != null) {
            n.put("clientVersion", version); // observed data omits the key when the version is unknown
        }
        return n;
    }

    ObjectNode spendRow(SimMember m, SpendFigures spend) {
        ObjectNode n = object();
        n.put("userId", m.id());
        if (profile == Profile.DOCS_LATEST) {
            putNumber(n, "spendCents", spend.onDemandCents());
            putNumber(n, "overallSpendCents", spend.cycleSpendCents());
        } else {
            n.put("spendCents", spend.cycleSpendCents().longValueExact());
            n.put("includedSpendCents", spend.includedCents().longValueExact());
        }
        n.put("fastPremiumRequests", 0);
        n.put("name", m.name());
        n.put("email", m.email());
        if (profile == Profile.DOCS_LATEST) {
            n.putNull("profilePictureUrl");
        }
        n.put("role", m.role());
        n.put("monthlyLimitDollars", m.monthlyLimitDollars());
        n.put("hardLimitOverrideDollars", 0);
        n.put("effectivePerUserLimitDollars", m.monthlyLimitDollars());
        return n;
    }

    ObjectNode event(SimEvent e, SimMember m) {
        ObjectNode n = object();
        n.put("timestamp", Long.toString(e.timestamp()));
        boolean docs = profile == Profile.DOCS_LATEST;
        // removed members' events carry no e-mail (REFERENCE.md Q7), nor do most service-account events (Q24)
        if (!m.removed() && !(docs && e.caller().withoutEmail())) {
            n.put("userEmail", m.key());
        }
        if (docs && e.caller().serviceAccount()) {
            n.put("serviceAccountId", e.caller().serviceAccountId());
            if (e.caller().serviceAccountName() != null) {
                n.put("serviceAccountName", e.caller().serviceAccountName());
            }
        }
        if (docs && e.caller().automationId() != null) {
            n.put("automationId", e.caller().automationId());
        }
        if (docs && e.cloudAgentId() != null) {
            n.put("cloudAgentId", e.cloudAgentId());
        }
        if (docs && e.conversationId() != null) {
            n.put("conversationId", e.conversationId());
        }
        n.put("model", e.model());
        n.put("kind", e.kind().label());
        n.put("maxMode", e.maxMode());
        if (e.requestsCosts() == 0) {
            n.put("requestsCosts", 0);
        } else {
            n.put("requestsCosts", e.requestsCosts());
        }
        n.put("isTokenBasedCall", e.tokenBased());
        n.put("isChargeable", !docs || e.chargedCents().signum() > 0);
        n.put("isHeadless", e.headless());
        if (!docs || e.tokenBased()) {
            ObjectNode t = n.putObject("tokenUsage");
            t.put("inputTokens", e.tokens().input());
            t.put("outputTokens", e.tokens().output());
            t.put("cacheWriteTokens", e.tokens().cacheWrite());
            t.put("cacheReadTokens", e.tokens().cacheRead());
            putNumber(t, "totalCents", e.totalCents());
        }
        if (docs) {
            putNumber(n, "chargedCents", e.chargedCents());
            if (e.cursorTokenFee().signum() > 0) {
                putNumber(n, "cursorTokenFee", e.cursorTokenFee());
            }
        } else {
            putNumber(n, "cursorTokenFee", e.cursorTokenFee());
        }
        return n;
    }

    /** docs-latest writes null for "none"; observed-2026-01 writes "" (REFERENCE.md Q8). */
    private void putOptionalString(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        } else if (profile == Profile.DOCS_LATEST) {
            n.putNull(field);
        } else {
            n.put(field, "");
        }
    }

    /** Zero as {@code 0}, everything else as the exact decimal. */
    static void putNumber(ObjectNode n, String field, BigDecimal value) {
        if (value.signum() == 0) {
            n.put(field, 0);
        } else {
            n.put(field, value);
        }
    }
}

package dev.cursorexporter.api;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.AuthRefusal;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.BackfillProgress;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/status} (what the exporter knows about each account and source, from the store and the sync's
 * health; never a secret) and {@code POST /admin/sync} (queue a poll now). Nothing here calls Cursor: a forced sync
 * runs on the account's own sync thread, inside its request budget.
 */
public final class StatusRoutes {
    private final String mode;
    private final String version;
    private final StoreReader store;
    private final Map<String, SyncTrigger> syncs;
    private final BackfillProgress backfill;
    private final CostReconciliation reconciliation;

    /**
     * @param syncs          by account name, in configuration order
     * @param reconciliation what {@code otelReconciliation} says; null leaves it out
     */
    public StatusRoutes(String mode, String version, StoreReader store, Map<String, SyncTrigger> syncs,
                        BackfillProgress backfill, CostReconciliation reconciliation) {
        this.mode = mode;
        this.version = version;
        this.store = store;
        this.syncs = new LinkedHashMap<>(syncs);
        this.backfill = backfill;
        this.reconciliation = reconciliation;
    }

    void register(JavalinConfig cfg) {
        // money as exact decimals in plain notation, as the datasource writes it
        cfg.routes.get("/api/v1/status", ctx -> ApiJson.send(ctx, status()));
        cfg.routes.post("/admin/sync", this::forceSync);
    }

    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("version", version);
        Map<String, Object> storeInfo = new LinkedHashMap<>();
        storeInfo.put("kind", store.kind());
        storeInfo.put("sizeBytes", store.sizeBytes());
        out.put("store", storeInfo);
        List<Object> accounts = new ArrayList<>();
        for (String account : syncs.keySet()) {
            accounts.add(account(account));
        }
        out.put("accounts", accounts);
        if (reconciliation != null) {
            out.put("otelReconciliation", otelReconciliation());
        }
        return out;
    }

    /**
     * Whether the OTLP receiver listens, the newest day an estimate arrived for, and the estimate against the
     * settled cost over the newest settled days ({@link CostReconciliation#WINDOW_DAYS} at most, within
     * {@link CostReconciliation#SEARCH_DAYS}), overall and per team; {@code lastSettledDays} is null while no settled
     * day has an estimate.
     */
    private Map<String, Object> otelReconciliation() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", reconciliation.receiverOn());
        out.put("newestEstimateDay", reconciliation.newestEstimateDay().map(LocalDate::toString).orElse(null));
        CostReconciliation.Window w = reconciliation.lastSettledDays();
        if (w.days().isEmpty()) {
            out.put("lastSettledDays", null);
            return out;
        }
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("days", w.days().size());
        window.put("from", w.days().get(0).toString());
        window.put("to", w.days().get(w.days().size() - 1).toString());
        window.putAll(totals(w.total()));
        List<Object> teams = new ArrayList<>();
        w.byTeam().forEach((team, t) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("team", team);
            row.putAll(totals(t));
            teams.add(row);
        });
        window.put("teams", teams);
        out.put("lastSettledDays", window);
        return out;
    }

    private static Map<String, Object> totals(CostReconciliation.Totals t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimatedUsd", t.estimatedUsd());
        out.put("settledUsd", t.settledUsd());
        out.put("differenceUsd", t.differenceUsd());
        out.put("ratio", t.ratio());
        return out;
    }

    private Map<String, Object> account(String account) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", account);
        // the refusal the sync stored last (the store is what the read side reads; a restart shows it too)
        Optional<AuthRefusal> auth = store.authRefusals(account).values().stream()
                .max(Comparator.comparing(AuthRefusal::at));
        out.put("authFailing", auth.isPresent());
        out.put("authError", auth.map(AuthRefusal::message).orElse(null));
        Map<Source, SourceState> states = store.sourceStates(account);
        Map<Source, SourceAvailability> plan = store.enterprise().availability(account);
        Map<Source, BackfillProgress.Progress> progress = backfill.of(account);
        List<Object> sources = new ArrayList<>();
        for (Source source : Source.values()) {
            SourceState s = states.getOrDefault(source, SourceState.NEVER);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", source.label());
            row.put("availability", availability(s, plan.get(source)));
            row.put("lastSuccess", text(s.lastSuccess()));
            row.put("lastError", s.lastError());
            row.put("lastErrorAt", text(s.lastErrorAt()));
            BackfillProgress.Progress p = progress.get(source);
            if (p != null) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("daysCovered", p.daysCovered());
                b.put("daysTotal", p.daysTotal());
                b.put("ratio", p.ratio());
                b.put("oldestDay", p.oldestCovered().map(LocalDate::toString).orElse(null));
                row.put("backfill", b);
            }
            sources.add(row);
        }
        out.put("sources", sources);
        return out;
    }

    /**
     * available: the last poll succeeded; failing: it failed (last good data still served); pending: never polled;
     * not_on_plan: a plan-gated source that answered its last probe 401/403 (as
     * {@code cursor_exporter_source_available} 0 says).
     */
    private static String availability(SourceState s, SourceAvailability plan) {
        if (s.lastError() != null) {
            return "failing";
        }
        if (plan != null && !plan.available()) {
            return "not_on_plan";
        }
        return s.lastSuccess() != null ? "available" : "pending";
    }

    private void forceSync(Context ctx) {
        String sourceParam = ctx.queryParam("source");
        Source source = null;
        if (sourceParam != null) {
            source = Arrays.stream(Source.values()).filter(s -> s.label().equals(sourceParam)).findFirst()
                    .orElse(null);
            if (source == null) {
                badRequest(ctx, "unknown source '" + clip(sourceParam) + "'; expected one of "
                        + Arrays.stream(Source.values()).map(Source::label).collect(Collectors.joining(", ")));
                return;
            }
        }
        String accountParam = ctx.queryParam("account");
        List<String> accounts = new ArrayList<>(syncs.keySet());
        if (accountParam != null) {
            if (!syncs.containsKey(accountParam)) {
                badRequest(ctx, "unknown account '" + clip(accountParam) + "'; expected one of "
                        + String.join(", ", syncs.keySet()));
                return;
            }
            accounts = List.of(accountParam);
        }
        for (String account : accounts) {
            syncs.get(account).syncNow(source);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "queued");
        out.put("accounts", accounts);
        out.put("sources", source == null ? Arrays.stream(Source.values()).map(Source::label).toList()
                : List.of(source.label()));
        ctx.status(HttpStatus.ACCEPTED).json(out);
    }

    private static void badRequest(Context ctx, String message) {
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", message));
    }

    /** Echoed input is shortened so an error answer stays one readable line. */
    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

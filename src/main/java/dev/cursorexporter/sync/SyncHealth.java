package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.AuthRefusal;
import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether Cursor accepts each account's key, as the sync last saw it. A 401 or 403 on a core source means the key
 * is wrong, lacks scope or the plan lacks the Admin API: nothing else will work either, so it is reported once,
 * with what to check, and shown as {@code cursor_exporter_auth_failing} until a core call succeeds again. Polling
 * goes on (with the retry back-off, no tight loop), so a fixed key is picked up by itself. With a store the state
 * is kept there ({@link StoreWriter#saveAuthRefusal}), so a restart shows it at once; {@link #recovered} tells the sync
 * when a refused key is accepted again (Enterprise availability is then probed anew).
 */
public final class SyncHealth {
    private static final Logger LOG = LoggerFactory.getLogger(SyncHealth.class);

    /**
     * @param status   401 or 403
     * @param endpoint the path that was refused
     * @param message  the client's message (no secret in it)
     */
    public record AuthFailure(int status, String endpoint, String message, Instant at) {
    }

    /** Refused sources per account; tracked per source so that a key refused on one source only is not flapping. */
    private final Map<String, Map<Source, AuthFailure>> failing = new ConcurrentHashMap<>();
    private final StoreWriter store;

    /** In memory only (tests, tools). */
    public SyncHealth() {
        this.store = null;
    }

    /** Kept in {@code store}: what it holds is the state at start. */
    public SyncHealth(StoreWriter store) {
        this.store = store;
    }

    private Map<Source, AuthFailure> refused(String account) {
        return failing.computeIfAbsent(account, a -> {
            Map<Source, AuthFailure> map = new ConcurrentHashMap<>();
            if (store != null) {
                store.authRefusals(a).forEach((source, r) -> map.put(source,
                        new AuthFailure(r.status(), r.endpoint(), r.message(), r.at())));
            }
            return map;
        });
    }

    /**
     * Records the outcome of a core source's poll (null = success); logs only when the account's state changes.
     * Other failures (429, 5xx, timeouts) leave the state as it was: they say nothing about the key.
     *
     * @return true when this success ends a refusal (the key is accepted again)
     */
    synchronized boolean record(String account, Source source, RuntimeException failure, Instant at) {
        if (source.enterprise()) {
            return false;
        }
        Map<Source, AuthFailure> refused = refused(account);
        if (failure == null) {
            if (refused.remove(source) != null) {
                persist(account, source, null);
                if (refused.isEmpty()) {
                    LOG.info("{}: Cursor accepts the API key again ({} succeeded)", account, source.label());
                    return true;
                }
            }
            return false;
        }
        if (!(failure instanceof CursorApiException api) || !api.isNotPermitted()) {
            return false;
        }
        boolean wasFailing = !refused.isEmpty();
        AuthFailure refusal = new AuthFailure(api.status(), api.endpoint(), api.getMessage(), at);
        refused.put(source, refusal);
        persist(account, source, refusal);
        if (!wasFailing) {
            LOG.error("{}: Cursor refused the API key (HTTP {} on {}). Check that the key (CURSOR_API_KEY, "
                            + "CURSOR_API_KEY_FILE or the account's api_key) is a current team Admin API key from the "
                            + "dashboard's API Keys page; that its scope is admin:* (a read-only key may not reach "
                            + "every endpoint); that it is a team key, not an organisation key; and that the team's "
                            + "plan includes the Admin API. Polling continues at the normal intervals and the "
                            + "last good data keeps being served; cursor_exporter_auth_failing is 1 until Cursor "
                            + "accepts the key.",
                    account, api.status(), api.endpoint());
        }
        return false;
    }

    private void persist(String account, Source source, AuthFailure refusal) {
        if (store != null) {
            store.saveAuthRefusal(account, source, refusal == null ? null
                    : new AuthRefusal(refusal.status(), refusal.endpoint(), refusal.message(), refusal.at()));
        }
    }

    public boolean authFailing(String account) {
        return authFailure(account).isPresent();
    }

    /** The most recent refusal of a source that has not succeeded since, if any. */
    public Optional<AuthFailure> authFailure(String account) {
        return refused(account).values().stream().max(java.util.Comparator.comparing(AuthFailure::at));
    }
}

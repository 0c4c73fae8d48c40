package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SourceAvailability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the Enterprise-only jobs of one account (billing groups, Analytics API, AI Code Tracking, audit log) so that
 * a team without them is told apart from a failed poll. A 401/403 answer marks the source unavailable to the team:
 * that is a fact about the plan, so the run succeeds and the state is stored. An unavailable source is probed again
 * at its first run after a start, on a forced sync ({@code POST /admin/sync}), after Cursor accepts a key it had
 * refused or the key changes, and otherwise after {@link #REPROBE}. While Cursor refuses the key on the core sources
 * no Enterprise call is made at all: a refused key says nothing about the plan. Sync thread only.
 */
final class EnterpriseGate {
    private static final Logger LOG = LoggerFactory.getLogger(EnterpriseGate.class);

    /** How long an unavailable source is left alone before it is probed again. */
    static final Duration REPROBE = Duration.ofDays(1);

    private final String account;
    private final CursorApi coreApi;
    private final SyncHealth health;
    /** Sources probed since start (or since {@link #reprobe()}). */
    private final Set<Source> probed = EnumSet.noneOf(Source.class);
    /** Fingerprint of the key the sources were last probed with. */
    private String keyFingerprint;

    /**
     * @param coreApi the account's Admin API client: its credential fingerprint tells when the key changed
     * @param health  whether Cursor refuses the key on the core sources
     */
    EnterpriseGate(String account, CursorApi coreApi, SyncHealth health) {
        this.account = account;
        this.coreApi = coreApi;
        this.health = health;
    }

    /** Forgets which sources were probed, so each is asked again at its next run (the key was accepted again). */
    void reprobe() {
        probed.clear();
    }

    /** {@code job} behind this gate. */
    SourceJob gate(SourceJob job) {
        if (!job.source().enterprise()) {
            throw new IllegalArgumentException(job.source() + " is not an Enterprise source");
        }
        return new SourceJob() {
            @Override
            public Source source() {
                return job.source();
            }

            @Override
            public String run(JobContext context) {
                return runGated(job, context);
            }
        };
    }

    private String runGated(SourceJob job, JobContext context) {
        if (health.authFailing(account)) {
            throw new KeyRefused();
        }
        String fingerprint = coreApi.credentialFingerprint();
        if (!fingerprint.equals(keyFingerprint)) {
            if (keyFingerprint != null) {
                LOG.info("{}: the API key changed; the Enterprise sources are probed again", account);
            }
            keyFingerprint = fingerprint;
            reprobe();
        }
        Source source = job.source();
        SourceAvailability known = context.store().enterprise().availability(account).get(source);
        Instant now = context.now();
        if (!context.forced() && probed.contains(source) && known != null && !known.available()
                && now.isBefore(known.checkedAt().plus(REPROBE))) {
            return "not available to this team; next probe after " + known.checkedAt().plus(REPROBE);
        }
        probed.add(source);
        try {
            String summary = job.run(context);
            context.store().enterprise().saveAvailability(account, source,
                    new SourceAvailability(true, context.now(), null));
            return summary;
        } catch (CursorApiException e) {
            if (!e.isNotPermitted()) {
                throw e;
            }
            context.store().enterprise().saveAvailability(account, source,
                    new SourceAvailability(false, context.now(), e.getMessage()));
            LOG.info("{} {}: not available to this team ({}); Enterprise plan and an admin-scoped key are needed."
                    + " Probing again in {} h", account, source.label(), e.getMessage(), REPROBE.toHours());
            return "not available to this team";
        }
    }

    /** An Enterprise run not made because Cursor refuses the key on the core sources. */
    private static final class KeyRefused extends RuntimeException {
        KeyRefused() {
            super("not polled while Cursor refuses the API key on the core sources (see cursor_exporter_auth_failing"
                    + " and the log); availability is probed once the key is accepted", null, false, false);
        }
    }
}

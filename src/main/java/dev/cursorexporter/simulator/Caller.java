package dev.cursorexporter.simulator;

import java.util.Locale;

/**
 * Who made a generated usage event besides the member it belongs to (REFERENCE.md §2.5, Q24): one of the
 * organisation's automations, one of its service accounts, or nobody else ({@link #PERSON}). Cloud-agent runs are
 * {@link SimEvent#cloudAgentId()}; an automation's events carry a cloud-agent run id as well, as automations run as
 * cloud agents.
 *
 * @param automationId       UUID of the automation, or null
 * @param serviceAccountId   {@code sa_…} id of the service account, or null
 * @param serviceAccountName its display name, or null (then only the id identifies it)
 * @param withoutEmail       a service-account event sent without {@code userEmail} (the docs-latest shape)
 */
record Caller(String automationId, String serviceAccountId, String serviceAccountName, boolean withoutEmail) {
    static final Caller PERSON = new Caller(null, null, null, false);

    static Caller automation(String id) {
        return new Caller(id, null, null, false);
    }

    static Caller serviceAccount(String id, String name, boolean withoutEmail) {
        return new Caller(null, id, name, withoutEmail);
    }

    boolean serviceAccount() {
        return serviceAccountId != null;
    }

    /** The exporter's user key of a service-account event without e-mail: {@code sa:<name or id>}, lower-cased. */
    String serviceAccountKey() {
        return "sa:" + (serviceAccountName != null ? serviceAccountName : serviceAccountId).toLowerCase(Locale.ROOT);
    }
}

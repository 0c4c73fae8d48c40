package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelIdentity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who an OTel record is about, as the read side names users: the e-mail Cursor sent ({@code cursor.user.email}),
 * else the member whose Admin API id is the {@code cursor.user.account_id} sent (members of the given accounts as
 * last synced; the first account's member when two have the id), else {@code ""} (the user {@code unknown}). Team and
 * location then come from the directory by that e-mail, like every other e-mail's. The one rule for the OTel metrics
 * and the reconciliation, so both file a push under the same user. Holds the members as they were when made: one
 * instance per snapshot or answer.
 */
public final class OtelUsers {
    private final Map<String, String> emailByAccountId;

    private OtelUsers(Map<String, String> emailByAccountId) {
        this.emailByAccountId = emailByAccountId;
    }

    /** The member ids ({@code user_…}) of {@code accounts}' members, to their e-mail. */
    public static OtelUsers of(StoreReader store, List<String> accounts) {
        Map<String, String> byId = new HashMap<>();
        for (String account : accounts) {
            for (StoredMember m : store.members(account)) {
                if (m.userId() != null && !m.userId().isEmpty() && !m.email().isEmpty()) {
                    byId.putIfAbsent(m.userId(), m.email());
                }
            }
        }
        return new OtelUsers(byId);
    }

    /** The e-mail sent, else the member of the account id sent, else "" (user {@code unknown}). */
    public String email(OtelIdentity who) {
        if (!who.email().isEmpty()) {
            return who.email();
        }
        return emailByAccountId.getOrDefault(who.accountId(), "");
    }
}

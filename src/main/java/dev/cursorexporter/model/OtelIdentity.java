package dev.cursorexporter.model;

import java.util.Locale;

/**
 * Who an OTel record is about, as Cursor sent it: {@code cursor.user.email} (lower-cased) and
 * {@code cursor.user.account_id} (the Admin API member id), each {@code ""} when absent. Kept as sent and resolved
 * to a member when the snapshot is built, so a member list synced after the record still names the user.
 */
public record OtelIdentity(String email, String accountId) {
    public static final OtelIdentity NOBODY = new OtelIdentity("", "");

    public OtelIdentity {
        email = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        accountId = accountId == null ? "" : accountId.trim();
    }
}

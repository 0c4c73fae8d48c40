package dev.cursorexporter.model;

/** What the {@code user} label holds on the Prometheus plane. */
public enum UserLabelMode {
    /** the member's lower-cased e-mail */
    EMAIL,
    /** a stable salted pseudonym of the e-mail */
    HASH,
    /** no {@code user} label at all; series are summed over users */
    NONE
}

package dev.cursorexporter.cursor;

/**
 * An upstream row refused at the boundary, on its own: the rest of its page is kept.
 *
 * @param reason one of the {@code reason} label values below
 * @param detail the row's key fields and the offending field and value, for the log (never an API key, never an
 *               e-mail address)
 */
public record Rejection(String reason, String detail) {
    /** The row has no e-mail, day or timestamp to key it by. */
    public static final String MISSING_KEY = "missing_key";
    /** A number field holds something that is not a number (or has more than {@link RowCheck#MAX_SCALE} decimals). */
    public static final String MALFORMED = "malformed";
    /** A count or an amount below zero. */
    public static final String NEGATIVE = "negative";
    /** A count or an amount beyond any real value (limits in {@link RowCheck}). */
    public static final String TOO_LARGE = "too_large";
    /** A timestamp or day outside the window that was asked for. */
    public static final String OUTSIDE_WINDOW = "outside_window";
    /** A day after today (UTC). */
    public static final String FUTURE_DAY = "future_day";
}

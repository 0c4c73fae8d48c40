package dev.cursorexporter.config;

import java.util.regex.Pattern;

/** Makes user-supplied values safe to echo in a problem line or a description. */
final class Redaction {
    private static final int MAX_ECHO = 80;
    private static final Pattern USER_INFO = Pattern.compile("//[^/?#@]*@");
    // JDBC drivers take credentials as query or ';'-separated parameters (password=, sslpassword=, pwd=, …)
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "([?&;])([A-Za-z_.-]*(?i:password|passwd|pwd|secret|token|key)[A-Za-z_.-]*)=[^&;#]*");

    private Redaction() {
    }

    /** A URL with user info and credential parameters replaced by {@code ***}. */
    static String url(String url) {
        String withoutUser = USER_INFO.matcher(url).replaceAll("//***@");
        return SECRET_PARAM.matcher(withoutUser).replaceAll("$1$2=***");
    }

    /** Whether {@code url} carries a credential parameter ({@code password=}, {@code sslpassword=}, …). */
    static boolean hasSecretParameter(String url) {
        return SECRET_PARAM.matcher(url).find();
    }

    /** A value quoted for a problem line, shortened so one bad value cannot flood the log. */
    static String quote(String value) {
        String shown = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "…" : value;
        return "'" + shown + "'";
    }
}

package dev.cursorexporter.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of {@code directory.rules}: members whose e-mail matches get this team and/or location, unless the
 * CSV file says otherwise.
 *
 * @param pattern  how the rule was written, for messages: {@code match: *@eu.acme.com} or {@code domain: eu.acme.com}
 * @param regex    the compiled e-mail pattern (case-insensitive, whole address)
 * @param team     team label value, when the rule sets one
 * @param location location label value, when the rule sets one
 */
public record DirectoryRule(String pattern, Pattern regex, Optional<String> team, Optional<String> location) {

    /** A rule on an e-mail glob: {@code *} is any run of characters, {@code ?} exactly one. */
    public static DirectoryRule glob(String glob, Optional<String> team, Optional<String> location) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new DirectoryRule("match: " + glob.trim(), Pattern.compile(regex.toString()), team, location);
    }

    /** A rule on the e-mail's domain, exactly (sub-domains are other domains). */
    public static DirectoryRule domain(String domain, Optional<String> team, Optional<String> location) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return new DirectoryRule("domain: " + domain.trim(), Pattern.compile(".*@" + Pattern.quote(d)), team, location);
    }

    /** @param normalizedEmail lower-cased, trimmed */
    public boolean matches(String normalizedEmail) {
        return regex.matcher(normalizedEmail).matches();
    }
}

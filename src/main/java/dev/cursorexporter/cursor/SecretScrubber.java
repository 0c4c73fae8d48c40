package dev.cursorexporter.cursor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Masks secrets in text that ends up in exception messages or logs. Cursor's error bodies and OkHttp's
 * exception messages should never contain the key, but a proxy echoing the request could; this makes sure.
 */
final class SecretScrubber {
    static final String MASK = "***";

    private final List<String> secrets;

    /** @param secrets raw values to hide (the key, the encoded credentials); empty ones are ignored */
    SecretScrubber(String... secrets) {
        this.secrets = Arrays.stream(secrets)
                .filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SecretScrubber[" + secrets.size() + " secrets]";
    }
}

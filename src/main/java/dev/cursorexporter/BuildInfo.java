package dev.cursorexporter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and git commit Maven stamped into the jar. */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static String version() {
        return property("version");
    }

    /** The git commit the jar was built from; "unknown" for a build outside a git checkout. */
    public static String revision() {
        return property("revision");
    }

    private static String property(String name) {
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String value = p.getProperty(name, "unknown").strip();
            // an unfiltered placeholder (a build that skipped resource filtering) says nothing either
            return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
        } catch (IOException e) {
            return "unknown";
        }
    }
}

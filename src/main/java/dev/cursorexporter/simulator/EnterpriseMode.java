package dev.cursorexporter.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whether the simulated team has Enterprise (billing groups, Analytics API, AI Code Tracking), REFERENCE.md §5.2. */
public enum EnterpriseMode {
    /** Everything answers. */
    ON("on"),
    /** Plan gate as observed live: 401 {@code {"code":"error","message":"You must be a member of an enterprise team…"}}. */
    OFF("off"),
    /** Plan gate as documented: 403 {@code {"error":"Forbidden","message":"Enterprise access required"}}. */
    OFF_DOCS("off-docs");

    private final String id;

    EnterpriseMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static EnterpriseMode fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (EnterpriseMode m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown enterprise mode '" + id + "' (expected one of "
                + Arrays.stream(values()).map(EnterpriseMode::id).collect(Collectors.joining(", ")) + ")");
    }
}

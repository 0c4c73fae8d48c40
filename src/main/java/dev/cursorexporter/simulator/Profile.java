package dev.cursorexporter.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which generation of Cursor's response shapes the simulator imitates (REFERENCE.md §7). */
public enum Profile {
    /** Current docs: {@code chargedCents}, optional {@code cursorTokenFee}, {@code overallSpendCents}, nulls as null. */
    DOCS_LATEST("docs-latest"),
    /** Live responses of Jan/Feb 2026: no {@code chargedCents}, {@code ""} for empty strings, integer spend. */
    OBSERVED_2026_01("observed-2026-01");

    private final String id;

    Profile(String id) {
        this.id = id;
    }

    /** The name used on the command line and in totals, e.g. {@code docs-latest}. */
    public String id() {
        return id;
    }

    public static Profile fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.id.equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + id + "' (expected one of "
                + Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", ")) + ")");
    }
}

package dev.cursorexporter.config;

/** Byte counts as people write them in configuration: the largest binary unit that divides them. */
final class ByteSizes {
    private ByteSizes() {
    }

    static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return bytes + " bytes";
    }
}

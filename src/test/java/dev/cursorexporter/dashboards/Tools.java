package dev.cursorexporter.dashboards;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * External tools the stack tests run. Absent locally: the test is skipped. Absent in CI ({@code CI=true}): the
 * test fails, so that a CI machine missing a package cannot pass silently.
 */
final class Tools {
    private Tools() {
    }

    static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            String why = name + " is not installed (Debian package " + debianPackage + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + ", and CI=true requires it");
            }
            Assumptions.abort(why);
        }
        return found.get();
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

package dev.cursorexporter.model;

import java.util.List;

/**
 * What a configuration reload did (SIGHUP or {@code POST /-/reload}); the lines name keys and never hold a secret.
 *
 * @param applied      whether the new configuration now runs; false = refused, the running one is kept
 * @param problems     why it was refused, one line per problem naming the key (empty when applied)
 * @param changed      the reloadable keys whose value changed and now apply
 * @param needsRestart keys that changed but apply only after a restart; their running values are kept
 */
public record ReloadResult(boolean applied, List<String> problems, List<String> changed, List<String> needsRestart) {
    public ReloadResult {
        problems = List.copyOf(problems);
        changed = List.copyOf(changed);
        needsRestart = List.copyOf(needsRestart);
    }

    public static ReloadResult refused(List<String> problems) {
        return new ReloadResult(false, problems, List.of(), List.of());
    }
}

package dev.cursorexporter.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables of the table of keys ({@link ConfigKeys}), and nothing else of the environment, as
 * {@link Setting}s named by their variable. Blank values count as unset: compose files often pass
 * {@code CURSOR_API_KEY: ""}.
 */
final class EnvironmentSettings {
    private final Map<String, Setting> byVariable = new HashMap<>();

    private EnvironmentSettings() {
    }

    /** @param env the process environment ({@code System.getenv()}) */
    static EnvironmentSettings read(Map<String, String> env) {
        return read(env, List.of());
    }

    /**
     * @param env   the process environment
     * @param flags command-line flags, each in place of its variable and named as the flag; a blank one counts too
     *              (an empty host in {@code --web.listen-address=:9464} has been made explicit by then)
     */
    static EnvironmentSettings read(Map<String, String> env, List<ConfigFlag> flags) {
        EnvironmentSettings settings = new EnvironmentSettings();
        settings.take(ConfigKeys.CONFIG_FILE, env);
        for (ConfigKey<?> key : ConfigKeys.VALUES) {
            key.env().ifPresent(variable -> settings.take(variable, env));
        }
        for (ConfigFlag flag : flags) {
            settings.byVariable.put(flag.variable(), new Setting(flag.flag(), flag.value()));
        }
        return settings;
    }

    /** The variable of {@code key} when it is set, else null. */
    Setting get(ConfigKey<?> key) {
        return key.env().map(byVariable::get).orElse(null);
    }

    /** {@code CURSOR_EXPORTER_CONFIG}, the YAML file, when set. */
    Optional<Setting> configFile() {
        return Optional.ofNullable(byVariable.get(ConfigKeys.CONFIG_FILE));
    }

    private void take(String variable, Map<String, String> env) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            byVariable.put(variable, new Setting(variable, value));
        }
    }
}

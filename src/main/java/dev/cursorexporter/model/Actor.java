package dev.cursorexporter.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who spent a usage event: the {@code actor} label of {@code cursor_usage_*} (DESIGN.md), derived from the event's
 * caller fields (REFERENCE.md §2.5, Q24). Only the class is a label: the ids themselves are per run (a cloud
 * agent's {@code bc-…}) or per automation and would make a series per run.
 */
public enum Actor {
    HUMAN("human"),
    CLOUD_AGENT("cloud_agent"),
    AUTOMATION("automation"),
    SERVICE_ACCOUNT("service_account");

    private final String label;

    Actor(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The most specific caller wins: a service account may start automations and cloud agents through the API,
     * and an automation runs as a cloud agent, so an event can carry several ids and the outermost one says who
     * asked for the work. {@code isHeadless} alone does not make an agent: a person's headless CLI run is headless
     * too, and 2025/Jan-2026 data has the flag without any caller id.
     *
     * @param serviceAccountId {@code serviceAccountId} or {@code serviceAccountName} (either identifies one)
     */
    public static Actor of(String serviceAccountId, String automationId, String cloudAgentId) {
        if (present(serviceAccountId)) {
            return SERVICE_ACCOUNT;
        }
        if (present(automationId)) {
            return AUTOMATION;
        }
        if (present(cloudAgentId)) {
            return CLOUD_AGENT;
        }
        return HUMAN;
    }

    /** The actor of a stored label; unknown labels (a newer store read by an older reader) count as human. */
    public static Actor fromLabel(String label) {
        return byLabel(label).orElse(HUMAN);
    }

    public static Optional<Actor> byLabel(String label) {
        return Arrays.stream(values()).filter(a -> a.label.equals(label)).findFirst();
    }

    /** {@code human, cloud_agent, automation, service_account}, for error messages. */
    public static String allowedLabels() {
        return Arrays.stream(values()).map(Actor::label).collect(Collectors.joining(", "));
    }

    private static boolean present(String id) {
        return id != null && !id.isBlank();
    }
}

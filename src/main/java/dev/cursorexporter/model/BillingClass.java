package dev.cursorexporter.model;

import java.util.Locale;

/**
 * The {@code billing} label of {@code cursor_usage_requests_total}, derived from an event's free-text {@code kind}
 * (REFERENCE.md Q3). Matching is on normalised words so both the observed labels ({@code "Usage-based"},
 * {@code "Errored, Not Charged"}) and enum-style names ({@code USAGE_EVENT_KIND_USAGE_BASED}) classify the same.
 */
public enum BillingClass {
    INCLUDED("included"),
    USAGE_BASED("usage_based"),
    BYOK("byok"),
    NOT_CHARGED("not_charged"),
    OTHER("other");

    private final String label;

    BillingClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static BillingClass fromKind(String kind) {
        if (kind == null || kind.isBlank()) {
            return OTHER;
        }
        String k = kind.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        if (k.contains("not charged")) {
            return NOT_CHARGED;
        }
        if (k.contains("included")) {
            return INCLUDED;
        }
        if (k.contains("usage based")) {
            return USAGE_BASED;
        }
        if (k.contains("api key")) {
            return BYOK;
        }
        return OTHER;
    }
}

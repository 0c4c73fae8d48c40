package dev.cursorexporter.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared small-organisation settings so the suite stays fast. */
final class SimFixtures {
    /** A Monday afternoon; the history ends on a partial day. */
    static final Instant NOW = Instant.parse("2026-03-02T15:30:00Z");
    static final long DAY = 86_400_000L;

    private SimFixtures() {
    }

    static SimulatorOptions.Builder small(Profile profile) {
        return SimulatorOptions.builder()
                .users(12)
                .days(45)
                .seed(7)
                .profile(profile)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .live(false)
                .rateLimits(false);
    }
}

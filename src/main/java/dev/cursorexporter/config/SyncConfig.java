package dev.cursorexporter.config;

import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Source;

import java.time.Duration;
import java.util.Map;

/**
 * How Cursor is polled (YAML {@code sync:}).
 *
 * @param backfillDays   history fetched on first start, 1–365 ({@code CURSOR_EXPORTER_BACKFILL_DAYS},
 *                       {@code sync.backfill_days})
 * @param lookbackDays   trailing days re-read on every poll because Cursor restates them, 0–7
 *                       ({@code CURSOR_EXPORTER_LOOKBACK_DAYS}, {@code sync.lookback_days})
 * @param pollIntervals  per source ({@code sync.intervals.<source label>}); a source left out polls at its
 *                       {@link Source#defaultInterval()}
 * @param rateLimits     requests per minute each Cursor account allows itself per rate-limit family
 *                       ({@code sync.rate_limits.<family>})
 * @param maxAnswerBytes largest Cursor answer read, in bytes ({@code CURSOR_EXPORTER_MAX_ANSWER_SIZE},
 *                       {@code sync.max_answer_size})
 */
public record SyncConfig(int backfillDays, int lookbackDays, Map<Source, Duration> pollIntervals,
                         Map<BudgetFamily, Integer> rateLimits, long maxAnswerBytes) {

    public SyncConfig {
        pollIntervals = Source.intervals(pollIntervals);
        rateLimits = Map.copyOf(rateLimits);
    }

    public Duration pollInterval(Source source) {
        return pollIntervals.get(source);
    }
}

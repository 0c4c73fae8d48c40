package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.EventsRead;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Cursor account whose answers a test sets, recording every call; the jobs' unit tests run against it and a real
 * store (the end-to-end tests run them against the simulator over HTTP). What is not set answers empty; {@link #fail}
 * makes every call throw.
 */
class ScriptedApi implements CursorApi, EnterpriseApi {
    final List<String> calls = new ArrayList<>();
    List<Member> members = List.of();
    SpendReport spend = new SpendReport(List.of(), Instant.EPOCH);
    /** Daily usage per call; a day outside every row's window answers nothing. */
    List<DailyUsageRow> dailyUsage = List.of();
    List<UsageEvent> events = List.of();
    /** What {@link #usageEvents} declares as the total; -1 for no declared total. */
    long declaredEvents = -1;
    List<AuditEvent> auditEvents = List.of();
    List<AiCodeCommit> commits = List.of();
    BillingGroups groups = new BillingGroups(List.of(), null, null);
    AnalyticsAnswer analytics = new AnalyticsAnswer(List.of(), null, false);
    RuntimeException fail;
    String fingerprint = "key-1";

    private void call(String what) {
        calls.add(what);
        if (fail != null) {
            throw fail;
        }
    }

    @Override
    public String credentialFingerprint() {
        return fingerprint;
    }

    @Override
    public List<Member> members() {
        call("members");
        return members;
    }

    @Override
    public SpendReport spend() {
        call("spend");
        return spend;
    }

    @Override
    public List<DailyUsageRow> dailyUsage(LocalDate from, LocalDate to) {
        call("dailyUsage " + from + ".." + to);
        return dailyUsage.stream().filter(r -> !r.day().isBefore(from) && !r.day().isAfter(to)).toList();
    }

    @Override
    public EventsRead usageEvents(Instant from, Instant to, Consumer<List<UsageEvent>> pageConsumer) {
        call("usageEvents " + from + ".." + to);
        List<UsageEvent> inWindow = events.stream()
                .filter(e -> !e.timestamp().isBefore(from) && !e.timestamp().isAfter(to)).toList();
        if (!inWindow.isEmpty()) {
            pageConsumer.accept(inWindow);
        }
        long declared = declaredEvents < 0 ? 0 : declaredEvents;
        return new EventsRead(inWindow.size(), 0, 0, declared, false);
    }

    @Override
    public BillingGroups billingGroups() {
        call("billingGroups");
        return groups;
    }

    @Override
    public AnalyticsAnswer analytics(AnalyticsMetric metric, LocalDate from, LocalDate to, String etag) {
        call("analytics " + metric.path() + " " + from + ".." + to + (etag == null ? "" : " if-none-match " + etag));
        return analytics;
    }

    @Override
    public void aiCodeCommits(Instant from, Instant to, Consumer<List<AiCodeCommit>> pageConsumer) {
        call("aiCodeCommits " + from + ".." + to);
        List<AiCodeCommit> inWindow = commits.stream()
                .filter(c -> !c.commitTs().isBefore(from) && !c.commitTs().isAfter(to)).toList();
        if (!inWindow.isEmpty()) {
            pageConsumer.accept(inWindow);
        }
    }

    @Override
    public void auditEvents(Instant from, Instant to, Consumer<List<AuditEvent>> pageConsumer) {
        call("auditEvents " + from + ".." + to);
        List<AuditEvent> inWindow = auditEvents.stream()
                .filter(e -> !e.timestamp().isBefore(from) && !e.timestamp().isAfter(to)).toList();
        // two pages when there are two or more rows: a job must store every page
        int half = inWindow.size() / 2;
        if (half > 0) {
            pageConsumer.accept(inWindow.subList(0, half));
        }
        if (!inWindow.isEmpty()) {
            pageConsumer.accept(inWindow.subList(half, inWindow.size()));
        }
    }
}

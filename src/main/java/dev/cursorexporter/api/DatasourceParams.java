package dev.cursorexporter.api;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.query.Condition;
import dev.cursorexporter.query.Dimension;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of the datasource's REST endpoints, read by one set of rules: only the endpoint's names, a
 * single {@code from} and {@code to} read as {@link DayRange} days and clamped to today, comma lists (also repeated)
 * as filters where Grafana's "All" ({@code .*}, {@code .+}) restricts nothing. Every violation is a {@link BadRequest}
 * naming the parameter.
 */
final class DatasourceParams {
    private static final String ALL = ".*";
    private static final String ALL_NON_EMPTY = ".+";

    private final Map<String, List<String>> params;

    private DatasourceParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** The request's parameters, refused when one is not {@code allowed}. */
    static DatasourceParams of(Context ctx, List<String> allowed) {
        Map<String, List<String>> params = ctx.queryParamMap();
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw new BadRequest("unknown parameter '" + name + "' (allowed: " + String.join(", ", allowed)
                        + ")");
            }
        }
        return new DatasourceParams(params);
    }

    /**
     * The days {@code from}..{@code to} ask for, ending today at the latest (no row is ever dated after today); null
     * when {@code from} is after today, which answers {@code []}.
     */
    DayRange range(LocalDate today) {
        Optional<String> from = single("from");
        Optional<String> to = single("to");
        if (from.isPresent() && DayRange.day(from.get(), "from").isAfter(today)) {
            return null;
        }
        Optional<String> clamped = to.filter(t -> !DayRange.day(t, "to").isAfter(today));
        return DayRange.resolve(from, to.isPresent() && clamped.isEmpty() ? Optional.of(today.toString())
                : clamped, today, "from", "to");
    }

    Optional<String> single(String name) {
        List<String> given = params.getOrDefault(name, List.of());
        if (given.size() > 1) {
            throw new BadRequest(name + ": given " + given.size() + " times, expected once");
        }
        return given.stream().filter(v -> !v.isBlank()).findFirst();
    }

    /** All comma-separated values of a parameter, which may also be repeated. */
    List<String> values(String name) {
        return params.getOrDefault(name, List.of()).stream().flatMap(v -> Lists.commaSeparated(v).stream())
                .toList();
    }

    /** The filters on {@code dimensions}: one IN condition per restricted dimension. */
    List<Condition> filters(List<Dimension> dimensions) {
        List<Condition> out = new ArrayList<>();
        for (Dimension d : dimensions) {
            List<String> wanted = values(d.key());
            if (wanted.contains(ALL) || wanted.contains(ALL_NON_EMPTY)) {
                continue; // Grafana's "All" of a variable whose allValue is a match-all regular expression
            }
            if (d == Dimension.USER) {
                wanted = wanted.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
            }
            if (d == Dimension.ACTOR) {
                checkActors(wanted);
            }
            if (!wanted.isEmpty()) {
                out.add(Condition.in(d, wanted));
            }
        }
        return out;
    }

    /**
     * The actors are a closed set: a misspelt one would match nothing and answer zeros that look like data, so it is
     * refused instead.
     */
    private static void checkActors(List<String> wanted) {
        for (String actor : wanted) {
            if (Actor.byLabel(actor).isEmpty()) {
                throw new BadRequest("actor: unknown value '" + actor + "' (allowed: " + Actor.allowedLabels() + ")");
            }
        }
    }
}

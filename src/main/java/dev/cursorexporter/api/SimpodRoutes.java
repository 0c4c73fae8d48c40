package dev.cursorexporter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cursorexporter.query.Condition;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.query.Dimension;
import dev.cursorexporter.query.SeriesQuery;
import dev.cursorexporter.query.SeriesRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * The simPod JSON datasource protocol under {@code /grafana} (health, metrics/search, metric-payload-options,
 * query, variable, tag-keys, tag-values). Parses Grafana's request shapes and formats answers; the data comes
 * from {@link DatasourceQueries}. {@code /metrics} is the protocol's metric list, not Prometheus.
 */
final class SimpodRoutes {
    /**
     * What simPod targets group and filter by: the billing class stays with the REST API, so the plugin's payload
     * options and ad-hoc keys are as they were.
     */
    private static final List<Dimension> DIMENSIONS = List.of(Dimension.USER, Dimension.TEAM, Dimension.LOCATION,
            Dimension.MODEL);
    private static final String ALLOWED_KEYS = String.join(", ", DIMENSIONS.stream().map(Dimension::key).toList());

    private static final long DAY_MS = 86_400_000L;
    private static final String TIME_SERIES = "time_series";
    private static final String TABLE = "table";

    private final DatasourceQueries queries;

    SimpodRoutes(DatasourceQueries queries) {
        this.queries = queries;
    }

    /** @param workers what every handler here runs on (never a Jetty request thread) */
    void register(RoutesConfig routes, DatasourceWorkers workers) {
        routes.get("/grafana", workers.offload(ctx -> ApiJson.send(ctx, Map.of("status", "ok"))));
        routes.post("/grafana/metrics", workers.offload(this::metrics));
        routes.post("/grafana/search", workers.offload(this::metrics)); // the name before simPod 0.6.0
        routes.post("/grafana/metric-payload-options", workers.offload(this::payloadOptions));
        routes.post("/grafana/query", workers.offload(this::query));
        routes.post("/grafana/variable", workers.offload(this::variable));
        routes.post("/grafana/tag-keys", workers.offload(this::tagKeys));
        routes.post("/grafana/tag-values", workers.offload(this::tagValues));
    }

    private void metrics(Context ctx) {
        ApiJson.objectBody(ctx); // only to reject malformed JSON; the list does not depend on the request
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimpodTarget t : SimpodTarget.values()) {
            List<Map<String, Object>> payloads = new ArrayList<>();
            List<Map<String, Object>> byOptions = new ArrayList<>();
            for (Dimension d : DIMENSIONS) {
                if (!(t.activity() && d == Dimension.MODEL)) {
                    byOptions.add(option(d.key(), d.key()));
                }
            }
            payloads.add(payload("by", "Group by", "multi-select", byOptions));
            for (Dimension d : DIMENSIONS) {
                if (!(t.activity() && d == Dimension.MODEL)) {
                    payloads.add(payload(d.key(), "Only " + d.key(), "multi-select", null));
                }
            }
            payloads.add(payload("format", "Format", "select",
                    List.of(option("Time series", TIME_SERIES), option("Table", TABLE))));
            Map<String, Object> metric = new LinkedHashMap<>();
            metric.put("label", t.label());
            metric.put("value", t.value());
            metric.put("payloads", payloads);
            out.add(metric);
        }
        ApiJson.send(ctx, out);
    }

    private void payloadOptions(Context ctx) {
        JsonNode body = ApiJson.objectBody(ctx);
        JsonFields.optionalText(body, "metric", "metric").ifPresent(m -> target(m, "metric"));
        String name = JsonFields.text(body, "name", "name");
        Dimension d = byKey(name).orElseThrow(() -> new BadRequest("name: no options for payload '"
                + name + "' (payloads with options: " + ALLOWED_KEYS + ")"));
        ApiJson.send(ctx, queries.values(d).stream().map(v -> option(v, v)).toList());
    }

    private void variable(Context ctx) {
        JsonNode body = ApiJson.objectBody(ctx);
        JsonNode payload = body.get("payload");
        String query;
        if (payload != null && payload.isTextual()) {
            query = payload.textValue();
        } else if (payload != null && payload.isObject()) {
            query = JsonFields.text(payload, "target", "payload.target");
        } else if (JsonFields.absent(payload)) {
            throw new BadRequest("payload: missing");
        } else {
            throw new BadRequest("payload: expected an object or a string, got " + JsonFields.typeOf(payload));
        }
        Dimension d = dimension(query.strip(), "payload.target");
        ApiJson.send(ctx, queries.values(d).stream().map(v -> pair("__text", v, "__value", v)).toList());
    }

    private void tagKeys(Context ctx) {
        ApiJson.objectBody(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Dimension d : DIMENSIONS) {
            out.add(pair("type", "string", "text", d.key()));
        }
        ApiJson.send(ctx, out);
    }

    private void tagValues(Context ctx) {
        JsonNode body = ApiJson.objectBody(ctx);
        Dimension d = dimension(JsonFields.text(body, "key", "key"), "key");
        ApiJson.send(ctx, queries.values(d).stream().map(v -> Map.of("text", v)).toList());
    }

    private void query(Context ctx) {
        JsonNode body = ApiJson.objectBody(ctx);
        JsonNode range = JsonFields.optionalObject(body, "range", "range")
                .orElseThrow(() -> new BadRequest("range: missing"));
        DayRange days = DayRange.resolve(Optional.of(JsonFields.text(range, "from", "range.from")),
                Optional.of(JsonFields.text(range, "to", "range.to")), queries.today(), "range.from", "range.to");
        long intervalMs = JsonFields.optionalCount(body, "intervalMs", "intervalMs").orElse(0L);
        long maxDataPoints = JsonFields.optionalCount(body, "maxDataPoints", "maxDataPoints").orElse(0L);
        int bucketDays = bucketDays(days, intervalMs, maxDataPoints);
        List<Condition> adHoc = adHocFilters(JsonFields.optionalArray(body, "filters", "filters"));
        List<JsonNode> targets = JsonFields.optionalArray(body, "targets", "targets");
        List<Planned> plans = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String path = "targets[" + i + "]";
            JsonNode t = targets.get(i);
            if (!t.isObject()) {
                throw new BadRequest(path + ": expected an object, got " + JsonFields.typeOf(t));
            }
            Optional<String> name = JsonFields.optionalText(t, "target", path + ".target").filter(s -> !s.isBlank());
            if (JsonFields.flag(t, "hide", path + ".hide") || name.isEmpty()) {
                continue; // as the plugin itself does
            }
            SimpodTarget target = target(name.get(), path + ".target");
            JsonNode payload = payload(t, path + ".payload");
            List<Dimension> by = dimensions(payload, path + ".payload.by");
            List<Condition> conditions = new ArrayList<>();
            for (Dimension d : DIMENSIONS) {
                List<String> wanted = JsonFields.stringList(payload, d.key(), path + ".payload." + d.key());
                if (!wanted.isEmpty()) {
                    conditions.add(Condition.in(d, d == Dimension.USER ? lower(wanted) : wanted));
                }
            }
            String format = JsonFields.optionalText(payload, "format", path + ".payload.format").orElse(TIME_SERIES);
            if (!format.equals(TIME_SERIES) && !format.equals(TABLE)) {
                throw new BadRequest(path + ".payload.format: unknown format '" + format + "' (allowed: "
                        + TIME_SERIES + ", " + TABLE + ")");
            }
            if (target.activity()) {
                String noModel = ": target '" + target.value() + "' has no model dimension";
                if (by.contains(Dimension.MODEL)) {
                    throw new BadRequest(path + ".payload.by" + noModel);
                }
                if (conditions.stream().anyMatch(c -> c.dimension() == Dimension.MODEL)) {
                    throw new BadRequest(path + ".payload.model" + noModel);
                }
            }
            conditions.addAll(adHoc); // a dashboard-wide model filter does not restrict activity (it has no model)
            plans.add(new Planned(target, new SeriesQuery(days.from(), days.to(), bucketDays, by, conditions,
                    target.activity()), format.equals(TABLE)));
        }
        // Every target is checked before any is queried, and every query has answered before the first byte is
        // sent: a bad second target is a 400, a failing query a clean 500, never half an answer.
        List<List<SeriesRow>> answers = new ArrayList<>();
        long rows = 0;
        for (Planned p : plans) {
            List<SeriesRow> answer = queries.series(p.query());
            rows += answer.size();
            if (rows > queries.maxRows()) { // each answer is bounded; all of them are held until sent
                throw new BadRequest(String.format(Locale.ROOT, "targets: the answers would have more than %,d "
                        + "rows together; ask fewer targets per request (fewer queries in the panel) or narrow them",
                        queries.maxRows()));
            }
            answers.add(answer);
        }
        ApiJson.stream(ctx, json -> {
            json.writeStartArray();
            for (int i = 0; i < plans.size(); i++) {
                Planned p = plans.get(i);
                if (p.table()) {
                    table(json, p.target(), p.query(), answers.get(i));
                } else {
                    timeSeries(json, p.target(), p.query(), answers.get(i));
                }
            }
            json.writeEndArray();
        });
    }

    /** One visible target of a query request, checked and ready to run. */
    private record Planned(SimpodTarget target, SeriesQuery query, boolean table) {
    }

    /**
     * Days per point: at least Grafana's interval in whole days, and few enough points for
     * {@code maxDataPoints}. Buckets start at the first day of the range.
     */
    static int bucketDays(DayRange days, long intervalMs, long maxDataPoints) {
        long n = days.to().toEpochDay() - days.from().toEpochDay() + 1;
        long bucket = Math.max(1, intervalMs / DAY_MS);
        if (maxDataPoints > 0) {
            bucket = Math.max(bucket, (n + maxDataPoints - 1) / maxDataPoints);
        }
        return (int) Math.min(bucket, n);
    }

    /**
     * One {@code {"target", "datapoints"}} object per group, in the order the groups first appear; the points of
     * a group in row order. The rows come bucket by bucket, so they are visited through an index sorted by group
     * rather than copied into per-group lists.
     */
    private static void timeSeries(JsonGenerator json, SimpodTarget target, SeriesQuery q, List<SeriesRow> rows)
            throws IOException {
        Map<List<String>, Integer> groups = new LinkedHashMap<>();
        int[] groupOf = new int[rows.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = groups.computeIfAbsent(rows.get(i).group(), g -> groups.size());
        }
        int[] start = new int[groups.size() + 1];
        for (int g : groupOf) {
            start[g + 1]++;
        }
        for (int g = 0; g < groups.size(); g++) {
            start[g + 1] += start[g];
        }
        int[] next = Arrays.copyOf(start, groups.size());
        int[] order = new int[groupOf.length];
        for (int i = 0; i < groupOf.length; i++) {
            order[next[groupOf[i]]++] = i;
        }
        int g = 0;
        for (List<String> group : groups.keySet()) {
            json.writeStartObject();
            json.writeStringField("target", seriesName(target, q, group));
            json.writeArrayFieldStart("datapoints");
            for (int k = start[g]; k < start[g + 1]; k++) {
                SeriesRow r = rows.get(order[k]);
                json.writeStartArray();
                writeValue(json, target.of(r));
                json.writeNumber(epochMs(r));
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
            g++;
        }
    }

    private static String seriesName(SimpodTarget target, SeriesQuery q, List<String> group) {
        StringBuilder name = new StringBuilder(target.value());
        if (!group.isEmpty()) {
            name.append('{');
            for (int i = 0; i < group.size(); i++) {
                name.append(i == 0 ? "" : ",").append(q.by().get(i).key()).append("=\"").append(group.get(i))
                        .append('"');
            }
            name.append('}');
        }
        return name.toString();
    }

    private static void table(JsonGenerator json, SimpodTarget target, SeriesQuery q, List<SeriesRow> rows)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "table");
        json.writeArrayFieldStart("columns");
        column(json, "Time", "time");
        for (Dimension d : q.by()) {
            column(json, d.key(), "string");
        }
        column(json, target.value(), "number");
        json.writeEndArray();
        json.writeArrayFieldStart("rows");
        for (SeriesRow r : rows) {
            json.writeStartArray();
            json.writeNumber(epochMs(r));
            for (String v : r.group()) {
                json.writeString(v);
            }
            writeValue(json, target.of(r));
            json.writeEndArray();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void column(JsonGenerator json, String text, String type) throws IOException {
        json.writeStartObject();
        json.writeStringField("text", text);
        json.writeStringField("type", type);
        json.writeEndObject();
    }

    /** A value of {@link SimpodTarget#of}: exact dollars or a count. */
    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value instanceof BigDecimal d) {
            json.writeNumber(d);
        } else {
            json.writeNumber(((Number) value).longValue());
        }
    }

    private static List<Condition> adHocFilters(List<JsonNode> filters) {
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            String path = "filters[" + i + "]";
            JsonNode f = filters.get(i);
            if (!f.isObject()) {
                throw new BadRequest(path + ": expected an object, got " + JsonFields.typeOf(f));
            }
            Dimension d = dimension(JsonFields.text(f, "key", path + ".key"), path + ".key");
            String operator = JsonFields.text(f, "operator", path + ".operator");
            Condition c = switch (operator) {
                case "=", "!=" -> {
                    String v = JsonFields.text(f, "value", path + ".value");
                    List<String> values = List.of(d == Dimension.USER ? v.toLowerCase(Locale.ROOT) : v);
                    yield new Condition(d, operator.equals("=") ? Condition.Operator.IN : Condition.Operator.NOT_IN,
                            values);
                }
                case "=|", "!=|" -> {
                    List<String> values = JsonFields.stringList(f, "values", path + ".values");
                    yield new Condition(d, operator.equals("=|") ? Condition.Operator.IN
                            : Condition.Operator.NOT_IN, d == Dimension.USER ? lower(values) : values);
                }
                case "=~", "!~" -> {
                    String v = JsonFields.text(f, "value", path + ".value");
                    try {
                        yield Condition.matching(d, v, operator.equals("!~"));
                    } catch (PatternSyntaxException e) {
                        throw new BadRequest(path + ".value: invalid regular expression '" + v + "'");
                    }
                }
                default -> throw new BadRequest(path + ".operator: unsupported operator '" + operator
                        + "' (allowed: =, !=, =|, !=|, =~, !~)");
            };
            out.add(c);
        }
        return out;
    }

    /** The target's payload: the builder's map, or the JSON text typed in code mode. */
    private static JsonNode payload(JsonNode target, String path) {
        JsonNode p = target.get("payload");
        if (JsonFields.absent(p)) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (p.isTextual()) {
            if (p.textValue().isBlank()) {
                return JsonNodeFactory.instance.objectNode();
            }
            p = ApiJson.tree(p.textValue(), path + ": ");
        }
        if (!p.isObject()) {
            throw new BadRequest(path + ": expected an object, got " + JsonFields.typeOf(p));
        }
        return p;
    }

    private static List<Dimension> dimensions(JsonNode payload, String path) {
        return JsonFields.stringList(payload, "by", path).stream().map(k -> dimension(k, path)).toList();
    }

    private static Dimension dimension(String key, String path) {
        return byKey(key).orElseThrow(() -> new BadRequest(path + ": unknown key '" + key
                + "' (allowed: " + ALLOWED_KEYS + ")"));
    }

    private static Optional<Dimension> byKey(String key) {
        return Dimension.byKey(key).filter(DIMENSIONS::contains);
    }

    private static SimpodTarget target(String value, String path) {
        return SimpodTarget.byValue(value).orElseThrow(() -> new BadRequest(path + ": unknown target '" + value
                + "' (known: " + SimpodTarget.known() + ")"));
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    private static long epochMs(SeriesRow r) {
        return r.start().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static Map<String, Object> option(String label, String value) {
        return pair("label", label, "value", value);
    }

    /** A two-field JSON object with its fields in this order. */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put(k1, v1);
        o.put(k2, v2);
        return o;
    }

    private static Map<String, Object> payload(String name, String label, String type, List<Map<String, Object>> options) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("label", label);
        p.put("type", type);
        if (options != null) {
            p.put("options", options);
        }
        return p;
    }
}

package dev.cursorexporter.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Typed reads of request JSON that fail with a {@link BadRequest} naming the path and the type found. */
final class JsonFields {
    private JsonFields() {
    }

    static String typeOf(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT, POJO -> "object";
            case NUMBER -> "number";
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static Optional<String> optionalText(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new BadRequest(path + ": expected a string, got " + typeOf(n));
        }
        return Optional.of(n.textValue());
    }

    static String text(JsonNode parent, String field, String path) {
        return optionalText(parent, field, path).orElseThrow(() -> new BadRequest(path + ": missing"));
    }

    static Optional<JsonNode> optionalObject(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw new BadRequest(path + ": expected an object, got " + typeOf(n));
        }
        return Optional.of(n);
    }

    static List<JsonNode> optionalArray(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new BadRequest(path + ": expected an array, got " + typeOf(n));
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** A non-negative whole number, or empty when absent. */
    static Optional<Long> optionalCount(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return Optional.empty();
        }
        if (!n.isNumber() || (n.isFloatingPointNumber() && n.decimalValue().stripTrailingZeros().scale() > 0)
                || n.decimalValue().signum() < 0 || !n.canConvertToLong()) {
            throw new BadRequest(path + ": expected a non-negative whole number, got "
                    + (n.isNumber() ? n.asText() : typeOf(n)));
        }
        return Optional.of(n.longValue());
    }

    static boolean flag(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new BadRequest(path + ": expected true or false, got " + typeOf(n));
        }
        return n.booleanValue();
    }

    /**
     * Values of a select payload: a string (a comma list; Grafana's {@code {a,b}} multi-value form too) or an
     * array of strings; empty when absent.
     */
    static List<String> stringList(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.addAll(Lists.commaSeparated(n.textValue()));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (!e.isTextual()) {
                    throw new BadRequest(path + "[" + i + "]: expected a string, got " + typeOf(e));
                }
                out.addAll(Lists.commaSeparated(e.textValue()));
            }
        } else {
            throw new BadRequest(path + ": expected a string or an array of strings, got " + typeOf(n));
        }
        return out;
    }
}

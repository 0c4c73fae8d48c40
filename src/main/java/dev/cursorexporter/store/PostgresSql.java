package dev.cursorexporter.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's SQL, written for SQLite, as PostgreSQL accepts it (issue 15). The store classes keep one text per
 * statement, so SQLite runs exactly what it ran before; {@link PostgresDatabase} hands every statement through here
 * first. What is translated, each a construct the store uses:
 * <ul>
 *   <li>numbered parameters {@code ?1}, {@code ?2} (a value used several times): plain {@code ?} in order, with the
 *       positions each number binds ({@link Translated#positions});</li>
 *   <li>{@code INSERT OR IGNORE}: {@code ON CONFLICT DO NOTHING};</li>
 *   <li>{@code INSERT OR REPLACE INTO t (columns)}: {@code ON CONFLICT (key) DO UPDATE SET} every other column, the
 *       key being the table's primary key ({@code keys}, read from the catalog); the store's tables have no other
 *       unique constraint, so the row replaced is the same;</li>
 *   <li>a column on the right of {@code DO UPDATE SET} without a table: qualified with the target table (PostgreSQL
 *       finds it ambiguous with {@code excluded});</li>
 *   <li>scalar {@code MAX(a, b)} / {@code MIN(a, b)}: {@code GREATEST} / {@code LEAST}; {@code char(n)}: {@code chr(n)};
 *       {@code MAX} of a condition: {@code BOOL_OR};</li>
 *   <li>temporary tables: no {@code WITHOUT ROWID}, schema {@code pg_temp}; {@code CROSS JOIN … ON}: {@code JOIN}.</li>
 * </ul>
 */
final class PostgresSql {

    /** SQL for PostgreSQL; {@code positions[n]} are the 1-based {@code ?} positions that SQLite's parameter n binds. */
    record Translated(String sql, int[][] positions) {
        boolean renumbered() {
            return positions != null;
        }
    }

    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");
    private static final Pattern OR_IGNORE = Pattern.compile("(?i)INSERT\\s+OR\\s+IGNORE\\s+INTO");
    private static final Pattern OR_REPLACE =
            Pattern.compile("(?i)INSERT\\s+OR\\s+REPLACE\\s+INTO\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern INSERT_TARGET = Pattern.compile("(?i)INSERT\\s+INTO\\s+(\\w+)");
    private static final Pattern DO_UPDATE = Pattern.compile("(?i)DO\\s+UPDATE\\s+SET");
    private static final Pattern CHAR = Pattern.compile("(?i)\\bchar\\((\\d+)\\)");
    private static final Pattern WITHOUT_ROWID = Pattern.compile("(?i),?\\s*WITHOUT\\s+ROWID");
    private static final Pattern TEMP_SCHEMA = Pattern.compile("(?i)\\btemp\\.");
    /** SQLite's CROSS JOIN with ON (a join whose order is kept): an inner join. */
    private static final Pattern CROSS_JOIN_ON = Pattern.compile("(?i)CROSS\\s+JOIN\\s+(\\w+(?:\\s+\\w+)?)\\s+ON\\b");
    /** MAX over a condition (SQLite's 0/1): whether any row meets it. */
    private static final Pattern MAX_OF_CONDITION = Pattern.compile("(?i)\\bMAX\\(([^(),]*\\s=\\s[^(),]*)\\)");

    private final Map<String, List<String>> keys;
    private final Map<String, Translated> cache = new ConcurrentHashMap<>();

    /** @param keys primary-key columns per table (lower case), for {@code INSERT OR REPLACE} */
    PostgresSql(Map<String, List<String>> keys) {
        this.keys = Map.copyOf(keys);
    }

    Translated translate(String sql) {
        return cache.computeIfAbsent(sql, this::translateNow);
    }

    private Translated translateNow(String sql) {
        String out = orReplace(sql);
        Matcher ignore = OR_IGNORE.matcher(out);
        if (ignore.find()) {
            out = ignore.replaceFirst("INSERT INTO");
            out = stripEnd(out) + " ON CONFLICT DO NOTHING";
        }
        out = qualifyUpdateSet(out);
        out = scalarMinMax(out);
        out = CHAR.matcher(out).replaceAll("chr($1)");
        out = WITHOUT_ROWID.matcher(out).replaceAll("");
        out = TEMP_SCHEMA.matcher(out).replaceAll("pg_temp.");
        out = CROSS_JOIN_ON.matcher(out).replaceAll("JOIN $1 ON");
        out = MAX_OF_CONDITION.matcher(out).replaceAll("BOOL_OR($1)");
        return numbered(out);
    }

    private String orReplace(String sql) {
        Matcher m = OR_REPLACE.matcher(sql);
        if (!m.find()) {
            return sql;
        }
        String table = m.group(1).toLowerCase(Locale.ROOT);
        List<String> key = keys.get(table);
        if (key == null || key.isEmpty()) {
            throw new IllegalStateException("INSERT OR REPLACE into " + table + ", which has no primary key");
        }
        List<String> set = new ArrayList<>();
        for (String column : m.group(2).split(",")) {
            String c = column.trim().toLowerCase(Locale.ROOT);
            if (!key.contains(c)) {
                set.add(c + " = excluded." + c);
            }
        }
        String head = sql.substring(0, m.start()) + "INSERT INTO " + m.group(1) + " (" + m.group(2) + ")"
                + sql.substring(m.end());
        return stripEnd(head) + " ON CONFLICT (" + String.join(", ", key) + ") "
                + (set.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", set));
    }

    /**
     * In {@code DO UPDATE SET a = f(a, excluded.a), …}, every bare identifier that is not a keyword, function or
     * {@code excluded.x} is a column of the target row: qualify it with the table.
     */
    private static String qualifyUpdateSet(String sql) {
        Matcher update = DO_UPDATE.matcher(sql);
        if (!update.find()) {
            return sql;
        }
        Matcher target = INSERT_TARGET.matcher(sql);
        if (!target.find()) {
            return sql;
        }
        String table = target.group(1);
        String head = sql.substring(0, update.end());
        String tail = sql.substring(update.end());
        StringBuilder out = new StringBuilder(head);
        int i = 0;
        boolean rightSide = false;
        int depth = 0;
        while (i < tail.length()) {
            char ch = tail.charAt(i);
            if (ch == '\'') {
                int end = tail.indexOf('\'', i + 1);
                end = end < 0 ? tail.length() - 1 : end;
                out.append(tail, i, end + 1);
                i = end + 1;
                continue;
            }
            if (Character.isLetter(ch) || ch == '_') {
                int end = i;
                while (end < tail.length() && (Character.isLetterOrDigit(tail.charAt(end)) || tail.charAt(end) == '_')) {
                    end++;
                }
                String word = tail.substring(i, end);
                boolean qualified = i > 0 && tail.charAt(i - 1) == '.';
                boolean qualifier = end < tail.length() && tail.charAt(end) == '.';
                boolean function = end < tail.length() && tail.charAt(end) == '(';
                if (rightSide && !qualified && !qualifier && !function && !KEYWORDS.contains(word.toUpperCase(Locale.ROOT))) {
                    out.append(table).append('.');
                }
                if (word.equalsIgnoreCase("WHERE")) {
                    rightSide = true; // a WHERE after DO UPDATE SET names the target row, too
                }
                out.append(word);
                i = end;
                continue;
            }
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == '=' && depth == 0) {
                rightSide = true;
            } else if (ch == ',' && depth == 0) {
                rightSide = false;
            }
            out.append(ch);
            i++;
        }
        return out.toString();
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("CASE", "WHEN", "THEN", "ELSE", "END",
            "AND", "OR", "NOT", "NULL", "IS", "IN", "WHERE", "TRUE", "FALSE", "BETWEEN", "LIKE", "AS", "INTEGER",
            "BIGINT", "TEXT", "DISTINCT");

    /** {@code MAX(a, b)} (two or more arguments) is SQLite's scalar maximum; {@code MAX(a)} the aggregate stays. */
    private static String scalarMinMax(String sql) {
        StringBuilder out = new StringBuilder(sql);
        Matcher m = Pattern.compile("(?i)\\b(MAX|MIN)\\(").matcher(sql);
        List<int[]> replace = new ArrayList<>();
        while (m.find()) {
            int depth = 0;
            boolean comma = false;
            for (int i = m.end() - 1; i < sql.length(); i++) {
                char ch = sql.charAt(i);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    depth--;
                    if (depth == 0) {
                        break;
                    }
                } else if (ch == ',' && depth == 1) {
                    comma = true;
                }
            }
            if (comma) {
                replace.add(new int[]{m.start(1), m.end(1)});
            }
        }
        for (int k = replace.size() - 1; k >= 0; k--) {
            int[] r = replace.get(k);
            String name = sql.substring(r[0], r[1]).equalsIgnoreCase("MAX") ? "GREATEST" : "LEAST";
            out.replace(r[0], r[1], name);
        }
        return out.toString();
    }

    /** {@code ?1 … ?n} to positional {@code ?}; plain {@code ?} are left alone (a statement uses one style). */
    private static Translated numbered(String sql) {
        Matcher m = NUMBERED.matcher(sql);
        if (!m.find()) {
            return new Translated(sql, null);
        }
        m.reset();
        StringBuilder out = new StringBuilder();
        List<List<Integer>> positions = new ArrayList<>();
        int position = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            while (positions.size() <= n) {
                positions.add(new ArrayList<>());
            }
            positions.get(n).add(++position);
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        int[][] map = new int[positions.size()][];
        for (int n = 0; n < positions.size(); n++) {
            map[n] = positions.get(n).stream().mapToInt(Integer::intValue).toArray();
        }
        return new Translated(out.toString(), map);
    }

    private static String stripEnd(String sql) {
        String s = sql.stripTrailing();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}

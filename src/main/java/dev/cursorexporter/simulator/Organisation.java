package dev.cursorexporter.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The synthetic team: members, the first day of history and the billing-cycle anchor. Built once per simulator
 * from the seed; usage itself is generated lazily by {@link ActivityGenerator}.
 *
 * @param historyStartDay first UTC epoch day with usage
 * @param cycleDayOfMonth day of month a billing cycle starts (1..28)
 * @param cycleTime       time of day a billing cycle starts; not midnight, like Cursor's
 */
record Organisation(List<SimMember> members, long historyStartDay, int cycleDayOfMonth, LocalTime cycleTime) {

    static final String DOMAIN = "example.com";
    static final List<String> TEAMS = List.of("Platform", "Payments", "Mobile", "Data", "Growth");
    static final List<String> LOCATIONS = List.of("Berlin", "London", "New York", "Remote");

    private static final double[] TEAM_WEIGHTS = {25, 20, 20, 15, 20};
    private static final double[] LOCATION_WEIGHTS = {35, 25, 25, 15};
    private static final List<String> FIRST_NAMES = List.of(
            "Dana", "Lee", "Aisha", "Ben", "Carla", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jonas",
            "Kemal", "Laura", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor",
            "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego", "Emma", "Felix", "Greta", "Hugo",
            "Ines", "Jamal", "Kira", "Liam", "Maya", "Noah", "Olga", "Pavel", "Rahul", "Sofia", "Theo", "Yara");
    private static final List<String> LAST_NAMES = List.of(
            "Ito", "Meyer", "Okafor", "Schmidt", "Rossi", "Petrov", "Yilmaz", "Haddad", "Novak", "Sato", "Ivanova",
            "Berg", "Demir", "Fischer", "Garcia", "Khan", "Larsen", "Patel", "Murphy", "Santos", "Nilsson", "Aziz",
            "Rao", "Kowalski", "Chen", "Lopez", "Kaya", "Dubois", "Mensah", "Costa", "Martin", "Fernandez", "Weber",
            "Hoffmann", "Andersen", "Moreau", "Silva", "Jackson", "Wagner", "Tanaka", "Kim", "Singh", "Brown",
            "Park", "Nguyen", "Cohen", "Ortiz", "Walsh");
    private static final List<String> CLIENT_VERSIONS = List.of("2.3.41", "2.4.22", "2.4.27", "2.5.3");
    private static final int[] LIMIT_DOLLARS = {50, 100, 150, 200, 300, 500};
    private static final LocalTime CYCLE_TIME = LocalTime.of(7, 52, 48);
    private static final char[] ID_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    Organisation {
        members = List.copyOf(members);
    }

    /**
     * Generates the team.
     *
     * @param users current members; removed members (about 8 %) come on top
     * @param today UTC epoch day of "now" at start; history is {@code days} days ending with it
     */
    static Organisation generate(long seed, int users, int days, long today) {
        SplittableRandom random = new SplittableRandom(seed);
        long historyStart = today - days + 1;
        int removedCount = users >= 4 && days >= 3 ? Math.max(1, (int) Math.round(users * 0.08)) : 0;
        int total = users + removedCount;

        Set<Integer> removedIndexes = new HashSet<>();
        while (removedIndexes.size() < removedCount) {
            removedIndexes.add(1 + random.nextInt(total - 1));
        }
        List<ActivityLevel> levels = currentMemberLevels(users, random);
        // Small teams still get one BYOK user and one on-demand user, so every billing kind shows up.
        int byokMember = firstCurrent(levels, 2, l -> l != ActivityLevel.DORMANT);
        int onDemandMember = firstCurrent(levels, 0, l -> l == ActivityLevel.HEAVY);
        List<String> firstNames = shuffled(FIRST_NAMES, random);
        List<String> lastNames = shuffled(LAST_NAMES, random);
        Set<String> usedEmails = new HashSet<>();
        List<SimMember> members = new ArrayList<>(total);
        int currentSeen = 0;
        for (int i = 0; i < total; i++) {
            boolean removed = removedIndexes.contains(i);
            ActivityLevel level = removed
                    ? (random.nextBoolean() ? ActivityLevel.HEAVY : ActivityLevel.NORMAL)
                    : levels.get(currentSeen);
            Traits traits = new Traits(!removed && currentSeen == byokMember,
                    !removed && currentSeen == onDemandMember);
            members.add(member(random, i, removed, currentSeen, users, level, historyStart, days, today, traits,
                    firstNames, lastNames, usedEmails));
            if (!removed) {
                currentSeen++;
            }
        }
        int cycleDay = 1 + random.nextInt(28);
        return new Organisation(members, historyStart, cycleDay, CYCLE_TIME);
    }

    /** Traits forced on one member each so that small organisations still show them. */
    private record Traits(boolean byok, boolean onDemand) {
    }

    /** Position among current members of the first one from {@code from} on whose level matches, or -1. */
    private static int firstCurrent(List<ActivityLevel> levels, int from, Predicate<ActivityLevel> test) {
        for (int i = from; i < levels.size(); i++) {
            if (test.test(levels.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<ActivityLevel> currentMemberLevels(int users, SplittableRandom random) {
        int heavy = Math.max(1, (int) Math.round(users * 0.15));
        int dormant = users >= 8 ? Math.max(1, (int) Math.round(users * 0.08)) : 0;
        int light = (int) Math.round(users * 0.25);
        List<ActivityLevel> levels = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            ActivityLevel level;
            if (i < heavy) {
                level = ActivityLevel.HEAVY;
            } else if (i < heavy + dormant) {
                level = ActivityLevel.DORMANT;
            } else if (i < heavy + dormant + light) {
                level = ActivityLevel.LIGHT;
            } else {
                level = ActivityLevel.NORMAL;
            }
            levels.add(level);
        }
        shuffle(levels, random);
        // The owner (index 0 is always current) uses Cursor, so the first listed member is never dormant.
        if (levels.get(0) == ActivityLevel.DORMANT) {
            int swap = levels.indexOf(ActivityLevel.NORMAL);
            if (swap < 0) {
                swap = levels.indexOf(ActivityLevel.LIGHT);
            }
            if (swap > 0) {
                Collections.swap(levels, 0, swap);
            }
        }
        return levels;
    }

    private static SimMember member(SplittableRandom random, int index, boolean removed, int currentIndex,
                                    int users, ActivityLevel level, long historyStart, int days, long today,
                                    Traits traits, List<String> firstNames, List<String> lastNames, Set<String> usedEmails) {
        String first = firstNames.get(index % firstNames.size());
        // (index / n + 7 * index) mod n: distinct (first, last) pairs for the first n * n members
        String last = lastNames.get((index / lastNames.size() + 7 * index) % lastNames.size());
        String local = (first + "." + last).toLowerCase(Locale.ROOT);
        String candidate = local;
        for (int n = 2; !usedEmails.add(candidate); n++) {
            candidate = local + n;
        }
        String email = candidate + "@" + DOMAIN;
        if (!removed && index % 9 == 4) {
            // Mixed case in the member list; events carry the lower-case form (identity is case-insensitive).
            email = capitalise(candidate) + "@Example.com";
        }
        String name = first + " " + last;
        if (!removed && users >= 8 && currentIndex == users / 2) {
            name = ""; // Cursor returns "" for members without a display name
        }

        String role;
        if (index == 0) {
            role = "owner";
        } else if (!removed && currentIndex == 1 && users >= 6) {
            role = "free-owner";
        } else if (index % 15 == 7) {
            role = "owner";
        } else {
            role = "member";
        }

        String team = level == ActivityLevel.HEAVY && random.nextDouble() < 0.5
                ? "Platform" // one team burns noticeably more, so a budget alert has something to find
                : TEAMS.get(weighted(random, TEAM_WEIGHTS));
        String location = LOCATIONS.get(weighted(random, LOCATION_WEIGHTS));

        long joinDay = historyStart - 1 - random.nextInt(400);
        if (!removed && index != 0 && days >= 3 && random.nextDouble() < 0.12) {
            joinDay = historyStart + 1 + random.nextInt(days - 1);
        }
        long removedDay = SimMember.NOT_REMOVED;
        if (removed) {
            long earliest = historyStart + days / 3;
            removedDay = Math.min(today, earliest + random.nextInt((int) Math.max(1, today - earliest)));
        }

        Integer limit = null;
        double limitChance = level == ActivityLevel.HEAVY ? 0.6 : 0.25;
        if (random.nextDouble() < limitChance) {
            limit = LIMIT_DOLLARS[random.nextInt(LIMIT_DOLLARS.length)];
        }
        String clientVersion = random.nextDouble() < 0.35
                ? null : CLIENT_VERSIONS.get(random.nextInt(CLIENT_VERSIONS.size()));
        String favourite = SimModel.pick(random).id();
        double onDemand = 0;
        if ((level == ActivityLevel.HEAVY && random.nextDouble() < 0.6) || traits.onDemand()) {
            onDemand = 0.3 + 0.4 * random.nextDouble();
        } else if (level == ActivityLevel.NORMAL && random.nextDouble() < 0.2) {
            onDemand = 0.1 + 0.3 * random.nextDouble();
        }
        double byok = random.nextDouble() < 0.1 || traits.byok() ? 0.2 + 0.3 * random.nextDouble() : 0;

        return new SimMember(index, userId(random), name, email, role, team, location, level, joinDay, removedDay,
                limit, clientVersion, favourite, onDemand, byok, extensionsFor(team));
    }

    private static <T> List<T> shuffled(List<T> list, SplittableRandom random) {
        List<T> copy = new ArrayList<>(list);
        shuffle(copy, random);
        return copy;
    }

    /** Fisher-Yates with our own random stream, so the result is the same on every JDK. */
    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    private static String capitalise(String localPart) {
        StringBuilder sb = new StringBuilder(localPart.length());
        boolean upper = true;
        for (char c : localPart.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '.';
        }
        return sb.toString();
    }

    private static List<String> extensionsFor(String team) {
        return switch (team) {
            case "Platform" -> List.of("go", "ts", "yaml");
            case "Payments" -> List.of("java", "kt", "ts");
            case "Mobile" -> List.of("swift", "kt", "tsx");
            case "Data" -> List.of("py", "sql", "ipynb");
            default -> List.of("ts", "tsx", "py");
        };
    }

    private static String userId(SplittableRandom random) {
        StringBuilder sb = new StringBuilder("user_");
        for (int i = 0; i < 26; i++) {
            sb.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static int weighted(SplittableRandom random, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double x = random.nextDouble() * sum;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Members still in the team, in index order. */
    List<SimMember> currentMembers() {
        return members.stream().filter(m -> !m.removed()).toList();
    }

    /** Start of the billing cycle containing {@code now}: the latest cycle anchor not after it. */
    Instant cycleStart(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant candidate = today.withDayOfMonth(cycleDayOfMonth).atTime(cycleTime).toInstant(ZoneOffset.UTC);
        if (candidate.isAfter(now)) {
            candidate = today.minusMonths(1).withDayOfMonth(cycleDayOfMonth).atTime(cycleTime)
                    .toInstant(ZoneOffset.UTC);
        }
        return candidate;
    }
}

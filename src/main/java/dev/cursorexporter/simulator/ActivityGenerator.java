package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates one member's usage events for one UTC day. Each (seed, member, day) has its own random stream, so any
 * day can be produced on demand, in any order, without holding the whole history in memory.
 */
final class ActivityGenerator {
    static final long DAY_MS = 86_400_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long WORK_WINDOW_MS = 11 * HOUR_MS;
    /** Cursor token fee: $0.25 per million tokens, in cents per token. */
    private static final double TOKEN_FEE_CENTS_PER_TOKEN = 0.25 * 100 / 1_000_000;
    private static final double DUPLICATE_PROBABILITY = 0.012;
    /** Shares of events an automation or a service account (CI, release tooling) makes in a member's name. */
    private static final double AUTOMATION_SHARE = 0.015;
    private static final double SERVICE_ACCOUNT_SHARE = 0.02;
    /** Service-account events sent without {@code userEmail} (REFERENCE.md Q24); the others carry the owner's. */
    private static final double SERVICE_ACCOUNT_WITHOUT_EMAIL = 0.6;
    /** The organisation's service accounts: id and name; one has no name, so only its id identifies it. */
    private static final String[][] SERVICE_ACCOUNTS = {
            {"sa_7f3k2c1b", "ci-bot"}, {"sa_91xrel04", "Release-Bot"}, {"sa_4qd0c5aa", null}};
    private static final int AUTOMATIONS = 3;
    /** Separates the callers' random stream from the events' one, so the events stay what they were. */
    private static final long CALLER_STREAM = 0x5DEECE66DL;

    private final long seed;
    /** Whether automations and service accounts make events: only a profile that sends their fields has them. */
    private final boolean callers;

    ActivityGenerator(long seed, boolean callers) {
        this.seed = seed;
        this.callers = callers;
    }

    /** The member's events of that day, oldest first; empty outside the membership. */
    List<SimEvent> events(SimMember member, long epochDay) {
        if (!member.memberOn(epochDay) || member.level() == ActivityLevel.DORMANT) {
            return List.of();
        }
        SplittableRandom random = new SplittableRandom(mix(seed, member.index(), epochDay));
        SplittableRandom callers = new SplittableRandom(mix(seed ^ CALLER_STREAM, member.index(), epochDay));
        int count = eventCount(member, epochDay, random);
        if (count == 0) {
            return List.of();
        }
        long dayStart = epochDay * DAY_MS;
        long windowStart = dayStart + workStartHour(member, random) * HOUR_MS;
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = windowStart + random.nextLong(WORK_WINDOW_MS);
        }
        Arrays.sort(times);

        List<SimEvent> events = new ArrayList<>(count + count / 20 + 1);
        String conversation = null;
        int seq = 0;
        for (long t : times) {
            Feature feature = feature(random);
            if (feature == Feature.AGENT || feature == Feature.COMPOSER || feature == Feature.CHAT) {
                if (conversation == null || random.nextDouble() < 0.5) {
                    conversation = uuid(random);
                }
            }
            String conversationId = feature == Feature.BUGBOT || feature == Feature.CMDK ? null : conversation;
            SimEvent event = withCaller(event(member, t, seq++, feature, conversationId, random), callers);
            events.add(event);
            if (random.nextDouble() < DUPLICATE_PROBABILITY) {
                // Genuinely two identical requests: same millisecond, same everything (REFERENCE.md Q12).
                events.add(event);
            }
        }
        return events;
    }

    private static int eventCount(SimMember member, long epochDay, SplittableRandom random) {
        ActivityLevel level = member.level();
        DayOfWeek dow = LocalDate.ofEpochDay(epochDay).getDayOfWeek();
        boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
        double mean = level.eventsPerWeekday() * (weekend ? level.weekendFactor() : 1.0);
        if (!weekend && random.nextDouble() < level.dayOffProbability()) {
            mean = 0;
        }
        mean *= 0.6 + 0.8 * random.nextDouble();
        return poisson(random, mean);
    }

    private static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 60) {
            // Normal approximation; Knuth's product underflows for large means.
            double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    private static int workStartHour(SimMember member, SplittableRandom random) {
        return switch (member.location()) {
            case "Berlin" -> 7;
            case "London" -> 8;
            case "New York" -> 13;
            default -> random.nextInt(13);
        };
    }

    private static Feature feature(SplittableRandom random) {
        double x = random.nextDouble();
        if (x < 0.55) {
            return Feature.AGENT;
        } else if (x < 0.75) {
            return Feature.CHAT;
        } else if (x < 0.85) {
            return Feature.COMPOSER;
        } else if (x < 0.96) {
            return Feature.CMDK;
        }
        return Feature.BUGBOT;
    }

    private static EventKind kind(SimMember member, SplittableRandom random) {
        double x = random.nextDouble();
        if (x < 0.04) {
            return EventKind.ERRORED;
        } else if (x < 0.07) {
            return EventKind.ABORTED;
        }
        if (random.nextDouble() < member.byokShare()) {
            return EventKind.BYOK;
        }
        return random.nextDouble() < member.onDemandShare() ? EventKind.USAGE_BASED : EventKind.INCLUDED;
    }

    private static SimEvent event(SimMember member, long timestamp, int seq, Feature feature, String conversationId,
                                  SplittableRandom random) {
        SimModel model = random.nextDouble() < 0.45
                ? SimModel.byId(member.favouriteModel()) : SimModel.pick(random);
        EventKind kind = kind(member, random);
        boolean maxMode = random.nextDouble() < (model.id().startsWith("claude-4.5-opus") ? 0.25 : 0.06);
        boolean tokenBased = !(kind == EventKind.INCLUDED && random.nextDouble() < 0.04);
        boolean headless = random.nextDouble() < 0.03;

        SimEvent.Tokens tokens = SimEvent.Tokens.NONE;
        double totalCents = 0;
        double requestsCosts = 0;
        if (!tokenBased) {
            // Request-based (legacy) billing: a price per request unit, no token counts.
            requestsCosts = round1(1 + random.nextInt(5) * 0.2 + (maxMode ? 1 : 0));
            totalCents = requestsCosts * 4.0;
        } else if (kind != EventKind.ERRORED && kind != EventKind.BYOK) {
            tokens = tokens(model, maxMode, kind == EventKind.ABORTED, random);
            totalCents = model.costCents(tokens.input(), tokens.output(), tokens.cacheRead(), tokens.cacheWrite());
            if (maxMode) {
                totalCents *= 1.2;
            }
            requestsCosts = kind.charged() ? round1(Math.max(0.1, totalCents / 4.0)) : 0;
        }
        double fee = 0;
        if (kind.charged() && tokenBased && !model.id().equals("default") && random.nextDouble() < 0.9) {
            fee = tokens.total() * TOKEN_FEE_CENTS_PER_TOKEN;
        }
        BigDecimal total = decimal(totalCents);
        BigDecimal feeCents = decimal(fee);
        // Exactly the sum of the two decimals written to JSON, so "chargedCents" and "totalCents + cursorTokenFee"
        // give the same answer to the last digit.
        BigDecimal charged = kind.charged() ? total.add(feeCents) : BigDecimal.ZERO;
        String cloudAgentId = headless ? "bc-" + uuid(random) : null;
        return new SimEvent(timestamp, member.index(), seq, model.id(), kind, maxMode, requestsCosts, tokenBased,
                headless, tokens, total, feeCents, charged, conversationId, cloudAgentId,
                activity(member, feature, kind, random), Caller.PERSON);
    }

    /**
     * A small share of events made by an automation (run as a cloud agent: headless, with a run id) or a service
     * account, drawn from a stream of their own so that every other field is what it was without them.
     */
    private SimEvent withCaller(SimEvent e, SplittableRandom callers) {
        if (!this.callers) {
            return e;
        }
        double x = callers.nextDouble();
        Caller caller;
        if (x < AUTOMATION_SHARE) {
            caller = Caller.automation(new UUID(seed, 0xA0_0000L + callers.nextInt(AUTOMATIONS)).toString());
        } else if (x < AUTOMATION_SHARE + SERVICE_ACCOUNT_SHARE) {
            String[] account = SERVICE_ACCOUNTS[callers.nextInt(SERVICE_ACCOUNTS.length)];
            caller = Caller.serviceAccount(account[0], account[1],
                    callers.nextDouble() < SERVICE_ACCOUNT_WITHOUT_EMAIL);
        } else {
            return e;
        }
        boolean agentRun = caller.automationId() != null;
        String cloudAgentId = agentRun && e.cloudAgentId() == null ? "bc-" + uuid(callers) : e.cloudAgentId();
        return new SimEvent(e.timestamp(), e.memberIndex(), e.seq(), e.model(), e.kind(), e.maxMode(),
                e.requestsCosts(), e.tokenBased(), e.headless() || agentRun, e.tokens(), e.totalCents(),
                e.cursorTokenFee(), e.chargedCents(), e.conversationId(), cloudAgentId, e.activity(), caller);
    }

    private static SimEvent.Tokens tokens(SimModel model, boolean maxMode, boolean aborted, SplittableRandom random) {
        double scale = (maxMode ? 2.0 : 1.0) * (aborted ? 0.05 + 0.45 * random.nextDouble() : 1.0);
        long input = (long) ((20 + random.nextInt(2_500)) * scale);
        double o = random.nextDouble();
        long output = (long) ((100 + o * o * 9_000) * scale);
        long cacheRead = (long) ((2_000 + Math.pow(random.nextDouble(), 1.5) * 250_000) * scale);
        long cacheWrite = model.cacheWritePerM() > 0 && random.nextDouble() < 0.7
                ? (long) (random.nextDouble() * 30_000 * scale) : 0;
        return new SimEvent.Tokens(input, output, cacheWrite, cacheRead);
    }

    private static SimEvent.EditorActivity activity(SimMember member, Feature feature, EventKind kind,
                                                    SplittableRandom random) {
        boolean delivered = kind != EventKind.ERRORED && kind != EventKind.ABORTED;
        int aiAdded = 0;
        int aiDeleted = 0;
        int applies = 0;
        if (delivered) {
            switch (feature) {
                case AGENT -> {
                    aiAdded = random.nextInt(250);
                    aiDeleted = random.nextInt(aiAdded / 3 + 1);
                    applies = 1 + random.nextInt(4);
                }
                case COMPOSER -> {
                    aiAdded = random.nextInt(120);
                    aiDeleted = random.nextInt(aiAdded / 3 + 1);
                    applies = 1 + random.nextInt(3);
                }
                case CHAT -> {
                    aiAdded = random.nextInt(20);
                    applies = random.nextInt(2);
                }
                case CMDK -> {
                    aiAdded = 1 + random.nextInt(30);
                    aiDeleted = random.nextInt(10);
                    applies = 1;
                }
                case BUGBOT -> {
                    // reviews only
                }
            }
        }
        int accepts = applies == 0 ? 0 : random.nextInt(applies + 1);
        int acceptedAdded = applies == 0 ? 0 : (int) Math.round(aiAdded * (0.4 + 0.6 * random.nextDouble()));
        int acceptedDeleted = applies == 0 ? 0 : (int) Math.round(aiDeleted * random.nextDouble());
        int tabsShown = feature == Feature.BUGBOT ? 0 : random.nextInt(25);
        int tabsAccepted = tabsShown == 0 ? 0 : random.nextInt(tabsShown + 1);
        int tabLines = tabsAccepted * (1 + random.nextInt(2));
        int typed = random.nextInt(40);
        String extension = member.extensions().get(random.nextInt(member.extensions().size()));
        return new SimEvent.EditorActivity(feature,
                typed + aiAdded + tabLines,
                random.nextInt(15) + aiDeleted,
                acceptedAdded + tabLines,
                acceptedDeleted,
                applies, accepts, applies - accepts,
                tabsShown, tabsAccepted, extension);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The decimal Jackson would write for this double (shortest round-trip form), noise included. */
    private static BigDecimal decimal(double v) {
        return v == 0 ? BigDecimal.ZERO : new BigDecimal(Double.toString(v));
    }

    private static String uuid(SplittableRandom random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static long mix(long seed, int member, long day) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= (member + 1L) * 0xC2B2AE3D27D4EB4FL;
        h ^= (day + 1L) * 0x165667B19E3779F9L;
        return h;
    }
}

package io.pawfiler.benchmarks;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.auth.SignupResponse;
import io.pawfiler.api.dashboard.ActivityType;
import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.dashboard.GetActivityFeedRequest;
import io.pawfiler.api.dashboard.GetDashboardRequest;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop gRPC load on dashboard-bff against a running {@code ./pawfiler up}, two scenarios:
 * <ul>
 *   <li>{@code dashboard}: {@code GetDashboard} at a constant arrival rate, round-robin over players who have
 *   played a little, beside the same server's gRPC health check as a no-op baseline stream;</li>
 *   <li>{@code event-latency}: {@code SubmitAnswer} at a constant (lower) rate; the latency of those answers' events
 *   comes from benchmarks/dashboard-events/event-latency.sql (the command is printed), and with {@code --poll-with}
 *   also from the client's side: each answer's response (quiz-service committed before answering) until a poll of
 *   that player's read model shows it.</li>
 * </ul>
 * Players are signed up and given their answers before any clock starts, and the dashboard is waited for until it
 * shows every setup answer. Only loopback addresses are ever contacted. See benchmarks/load-harness/README.md.
 */
public final class DashboardLoad {

    static final String USAGE = """
            usage: DashboardLoad [--scenario=dashboard|event-latency|all] [--rate=300] [--duration=60] [--warmup=15]
                                 [--players=200] [--answers-per-player=3] [--answer-rate=20] [--poll-ms=5]
                                 [--poll-with=none|feed|dashboard]
                                 [--recent-analyses-limit=5] [--auth=127.0.0.1:8081] [--quiz=127.0.0.1:8082]
                                 [--dashboard=127.0.0.1:8086] [--channels=4] [--deadline-ms=5000]
                                 [--idle-calls=100] [--server-pid=<dashboard-bff pid>] [--no-health] [--json=<file>]""";

    private static final Set<String> KNOWN = Set.of("scenario", "rate", "duration", "warmup", "players",
            "answers-per-player", "answer-rate", "poll-ms", "poll-with", "recent-analyses-limit", "auth", "quiz", "dashboard",
            "channels", "deadline-ms", "idle-calls", "server-pid", "no-health", "json", "help");
    private static final int IDLE_WARMUP_CALLS = 20;
    /** An answer the dashboard has not shown after this long counts as not seen (and stops being polled). */
    private static final long NOT_SEEN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CATCH_UP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** The newest lines of a feed: an answer's own, and room for a reward or promotion line written after it. */
    private static final GetActivityFeedRequest FEED_TOP = GetActivityFeedRequest.newBuilder().setPageSize(3).build();
    /** event-latency: polls in flight at most, over all pending answers. */
    private static final int POLLS_IN_FLIGHT = 4;

    record Settings(List<String> scenarios, int rate, int durationSeconds, int warmupSeconds, int players,
                    int answersPerPlayer, int answerRate, int pollMs, PollWith pollWith, int recentAnalysesLimit,
                    InetSocketAddress auth, InetSocketAddress quiz, InetSocketAddress dashboard, int channels,
                    long deadlineMs, int idleCalls, Integer serverPid, boolean health, Path json) {

        static Settings parse(String[] args) {
            Map<String, String> values = Options.flags(args, KNOWN);
            List<String> scenarios = switch (values.getOrDefault("scenario", "dashboard")) {
                case "dashboard" -> List.of("dashboard");
                case "event-latency" -> List.of("event-latency");
                case "all" -> List.of("dashboard", "event-latency");
                default -> throw new IllegalArgumentException("--scenario must be dashboard, event-latency or all");
            };
            // none by default: on two shared cores a reader polling at all starved the projection it measured
            PollWith pollWith = switch (values.getOrDefault("poll-with", "none")) {
                case "feed" -> PollWith.FEED;
                case "dashboard" -> PollWith.DASHBOARD;
                case "none" -> PollWith.NONE;
                default -> throw new IllegalArgumentException("--poll-with must be feed, dashboard or none");
            };
            String pid = values.get("server-pid");
            String json = values.get("json");
            Settings settings = new Settings(scenarios,
                    Options.positive(values, "rate", 300),
                    Options.positive(values, "duration", 60),
                    Options.atLeastZero(values, "warmup", 15),
                    Options.positive(values, "players", 200),
                    Options.atLeastZero(values, "answers-per-player", 3),
                    Options.positive(values, "answer-rate", 20),
                    Options.positive(values, "poll-ms", 5),
                    pollWith,
                    Options.atLeastZero(values, "recent-analyses-limit", 5),
                    Options.loopback(values.getOrDefault("auth", "127.0.0.1:8081")),
                    Options.loopback(values.getOrDefault("quiz", "127.0.0.1:8082")),
                    Options.loopback(values.getOrDefault("dashboard", "127.0.0.1:8086")),
                    Options.positive(values, "channels", 4),
                    Options.positive(values, "deadline-ms", 5000),
                    Options.atLeastZero(values, "idle-calls", 100),
                    pid == null ? null : Integer.valueOf(pid),
                    !values.containsKey("no-health"),
                    json == null || json.equals("true") ? null : Path.of(json));
            if (settings.recentAnalysesLimit() > 20) {
                throw new IllegalArgumentException("--recent-analyses-limit must be 0..20 (the service's range)");
            }
            int most = SubmitAnswerLoad.STARTING_ENERGY / SubmitAnswerLoad.ENERGY_PER_ANSWER;
            if (settings.answersPerPlayer() + settings.latencyAnswersPerPlayer() > most) {
                throw new IllegalArgumentException("a player has energy for " + most + " answers, but would give "
                        + settings.answersPerPlayer() + " in the setup and up to " + settings.latencyAnswersPerPlayer()
                        + " in event-latency: use more --players or a lower --answer-rate");
            }
            return settings;
        }

        /** Answers each player gives in the event-latency scenario (round-robin), warm-up included; 0 without it. */
        int latencyAnswersPerPlayer() {
            return scenarios.contains("event-latency")
                    ? (int) Math.ceilDiv((long) answerRate * (warmupSeconds + durationSeconds), players) : 0;
        }

        String describe() {
            return "scenarios=" + String.join(",", scenarios) + " rate=" + rate + "/s answer-rate=" + answerRate
                    + "/s duration=" + durationSeconds + "s warmup=" + warmupSeconds + "s players=" + players
                    + " answers-per-player=" + answersPerPlayer + " poll-with=" + pollWith.name().toLowerCase(Locale.ROOT)
                    + " poll=" + pollMs + "ms recent-analyses-limit="
                    + recentAnalysesLimit + " channels=" + channels + " deadline=" + deadlineMs + "ms idle-calls="
                    + idleCalls + " health=" + (health ? "on" : "off") + " auth=" + Options.text(auth) + " quiz="
                    + Options.text(quiz) + " dashboard=" + Options.text(dashboard);
        }
    }

    /** How event-latency sees an answer arrive in the read model. */
    enum PollWith { FEED, DASHBOARD, NONE }

    private record Player(String userId, ClientInterceptor bearer) {
    }

    private final Settings settings;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final ManagedChannel authChannel;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<ManagedChannel> quizChannels = new ArrayList<>();
    private final DashboardServiceGrpc.DashboardServiceStub[] dashboard;
    private final HealthGrpc.HealthStub[] health;
    private final QuizServiceGrpc.QuizServiceStub[] quiz;
    private final GetDashboardRequest request;
    private final PrintStream out = System.out;
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final List<String> resultJson = new ArrayList<>();
    private String idleJson = "null";
    /** Answers each player has had accepted so far (setup and event-latency): what its dashboard must count. */
    private AtomicIntegerArray answered;

    private DashboardLoad(Settings settings) {
        this.settings = settings;
        this.authChannel = SubmitAnswerLoad.channel(settings.auth());
        for (int i = 0; i < settings.channels(); i++) {
            channels.add(SubmitAnswerLoad.channel(settings.dashboard()));
            quizChannels.add(SubmitAnswerLoad.channel(settings.quiz()));
        }
        this.dashboard = channels.stream().map(DashboardServiceGrpc::newStub)
                .toArray(DashboardServiceGrpc.DashboardServiceStub[]::new);
        this.health = channels.stream().map(HealthGrpc::newStub).toArray(HealthGrpc.HealthStub[]::new);
        this.quiz = quizChannels.stream().map(QuizServiceGrpc::newStub).toArray(QuizServiceGrpc.QuizServiceStub[]::new);
        this.request = GetDashboardRequest.newBuilder().setRecentAnalysesLimit(settings.recentAnalysesLimit()).build();
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DashboardLoad load = new DashboardLoad(settings);
        try {
            load.run();
        } catch (IllegalStateException | StatusRuntimeException e) {
            System.err.println("error: " + e.getMessage() + " (is ./pawfiler up running, with dashboard-bff?)");
            System.exit(1);
        } finally {
            load.close();
        }
    }

    private void run() throws Exception {
        if (settings.serverPid() != null) {
            CpuTime.processMillis(settings.serverPid()); // fail now, not after the sign-ups
        }
        header();
        List<Player> players = signUp();
        List<QuizQuestion> catalogue = SubmitAnswerLoad.catalogue(quizChannels.getFirst(), players.getFirst().bearer());
        answered = new AtomicIntegerArray(players.size());
        giveSetupAnswers(players, catalogue);
        awaitDashboardsCaughtUp(players);
        if (settings.idleCalls() > 0) {
            measureIdle(players.getFirst());
        }
        for (String scenario : settings.scenarios()) {
            switch (scenario) {
                case "dashboard" -> dashboardScenario(players);
                case "event-latency" -> eventLatencyScenario(players, catalogue);
                default -> throw new IllegalStateException(scenario);
            }
        }
        if (settings.json() != null) {
            Files.writeString(settings.json(), "{\"run\":" + Report.quote(runId) + ",\"started_at\":"
                    + Report.quote(startedAt.toString()) + ",\"cpus\":" + Runtime.getRuntime().availableProcessors()
                    + ",\"options\":" + Report.quote(settings.describe()) + ",\"latency_from\":\"intended_start\""
                    + ",\"idle\":" + idleJson + ",\"scenarios\":[" + String.join(",", resultJson) + "]}\n");
            out.println("\nJSON written to " + settings.json().toAbsolutePath());
        }
    }

    private List<Player> signUp() throws InterruptedException {
        long started = System.nanoTime();
        AuthServiceGrpc.AuthServiceStub auth = AuthServiceGrpc.newStub(authChannel);
        List<SignupResponse> signups = SubmitAnswerLoad.bounded("auth.AuthService/Signup", settings.players(),
                i -> SubmitAnswerLoad.call(observer -> auth
                        .withDeadlineAfter(SubmitAnswerLoad.SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .signup(SignupRequest.newBuilder().setEmail("load-" + runId + "-dashboard-" + i + "@example.test")
                                .setPassword(SubmitAnswerLoad.PASSWORD).setNickname("dash " + i).build(), observer)));
        progress("signed up %d players in %.1f s", signups.size(), seconds(started));
        return signups.stream().map(s -> new Player(s.getUser().getId(),
                SubmitAnswerLoad.bearer(s.getAccessToken()))).toList();
    }

    /** Each player answers a few questions (the catalogue in turn from its own offset), so its dashboard has data. */
    private void giveSetupAnswers(List<Player> players, List<QuizQuestion> catalogue) throws InterruptedException {
        if (settings.answersPerPlayer() == 0) {
            return;
        }
        long started = System.nanoTime();
        int perPlayer = settings.answersPerPlayer();
        SubmitAnswerLoad.bounded("quiz.QuizService/SubmitAnswer", players.size() * perPlayer, k -> {
            int p = k / perPlayer;
            SubmitAnswerRequest answer = answerFor(p, k % perPlayer, catalogue);
            return SubmitAnswerLoad.<SubmitAnswerResponse>call(observer -> quiz[k % quiz.length]
                    .withInterceptors(players.get(p).bearer())
                    .withDeadlineAfter(SubmitAnswerLoad.SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .submitAnswer(answer, observer)).whenComplete((response, failure) -> {
                        if (failure == null) {
                            answered.incrementAndGet(p);
                        }
                    });
        });
        progress("%d answers given (%d per player) in %.1f s", players.size() * perPlayer, perPlayer, seconds(started));
    }

    /** Player p's n-th answer: the catalogue in turn, starting at an offset of its own; a fresh attempt id. */
    private static SubmitAnswerRequest answerFor(int player, int n, List<QuizQuestion> catalogue) {
        return SubmitAnswerLoad.answer(catalogue.get((player + n) % catalogue.size())).toBuilder()
                .setAttemptId(UUID.randomUUID().toString()).build();
    }

    /** Until every player's dashboard counts its answers: the measured phase must not include the projection's backlog. */
    private void awaitDashboardsCaughtUp(List<Player> players) throws InterruptedException {
        long started = System.nanoTime();
        DashboardServiceGrpc.DashboardServiceBlockingStub stub = DashboardServiceGrpc.newBlockingStub(channels.getFirst());
        for (int p = 0; p < players.size(); p++) {
            while (true) {
                Dashboard view = stub.withInterceptors(players.get(p).bearer())
                        .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS).getDashboard(request);
                if (view.getQuiz().getTotalAnswered() >= answered.get(p)) {
                    break;
                }
                if (System.nanoTime() - started > CATCH_UP_TIMEOUT_NANOS) {
                    throw new IllegalStateException("the dashboard of " + players.get(p).userId() + " still counts "
                            + view.getQuiz().getTotalAnswered() + " of " + answered.get(p) + " answers after "
                            + TimeUnit.NANOSECONDS.toSeconds(CATCH_UP_TIMEOUT_NANOS) + " s");
                }
                Thread.sleep(50);
            }
        }
        progress("every dashboard shows its answers (%.1f s)", seconds(started));
    }

    /** One call at a time on a warmed channel: what a single request costs when nothing queues. */
    private void measureIdle(Player player) {
        HealthGrpc.HealthBlockingStub healthStub = HealthGrpc.newBlockingStub(channels.getFirst());
        DashboardServiceGrpc.DashboardServiceBlockingStub stub = DashboardServiceGrpc.newBlockingStub(channels.getFirst())
                .withInterceptors(player.bearer());
        Histogram healthLatency = new Histogram(3);
        Histogram dashboardLatency = new Histogram(3);
        for (int i = 0; i < IDLE_WARMUP_CALLS + settings.idleCalls(); i++) {
            long t0 = System.nanoTime();
            healthStub.withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            long t1 = System.nanoTime();
            stub.withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS).getDashboard(request);
            long t2 = System.nanoTime();
            if (i >= IDLE_WARMUP_CALLS) {
                healthLatency.recordValue((t1 - t0) / 1000);
                dashboardLatency.recordValue((t2 - t1) / 1000);
            }
        }
        out.printf("%nidle server, one call at a time on a warmed channel (%d calls each; the same player, so its "
                + "community counts come from the 5 s cache after the first call):%n", settings.idleCalls());
        out.println("  " + Report.idleLine("grpc.health.v1.Health/Check", healthLatency));
        out.println("  " + Report.idleLine("dashboard.DashboardService/GetDashboard", dashboardLatency));
        out.flush();
        idleJson = "{\"calls\":" + settings.idleCalls() + ",\"health_check\":" + Report.percentilesJson(healthLatency)
                + ",\"get_dashboard\":" + Report.percentilesJson(dashboardLatency) + "}";
    }

    private void dashboardScenario(List<Player> players) throws InterruptedException {
        int n = players.size();
        LongAdder degraded = new LongAdder();
        long warmupCalls = (long) settings.warmupSeconds() * settings.rate();
        OpenLoopStream.Call getDashboard = (i, done) -> dashboard[(int) (i % dashboard.length)]
                .withInterceptors(players.get((int) (i % n)).bearer())
                .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                .getDashboard(request, countingDegraded(done, i >= warmupCalls ? degraded : new LongAdder()));
        String workload = "GetDashboard round-robin over " + n + " players (each asked every "
                + String.format(Locale.ROOT, "%.2f", n / (double) settings.rate()) + " s; community counts cached 5 s "
                + "per player), recent_analyses_limit " + settings.recentAnalysesLimit();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<OpenLoopStream> streams = new ArrayList<>();
        streams.add(new OpenLoopStream("GetDashboard", settings.rate(), start, 0, settings.warmupSeconds(),
                settings.durationSeconds(), getDashboard));
        if (settings.health()) {
            // half a period later, so the two streams interleave instead of sending in pairs
            streams.add(new OpenLoopStream("health", settings.rate(), start, 0.5, settings.warmupSeconds(),
                    settings.durationSeconds(), healthCheck()));
        }
        progress("dashboard: warm-up %d s, then measuring %d s at %d/s per stream (%s)", settings.warmupSeconds(),
                settings.durationSeconds(), settings.rate(), workload);
        Measured measured = measure(start, streams, () -> {
        });
        out.printf("%nscenario dashboard: %s; %d/s per stream, warm-up %d s, measured %d s; mode: %s%n", workload,
                settings.rate(), settings.warmupSeconds(), settings.durationSeconds(),
                settings.health() ? "GetDashboard + health" : "GetDashboard alone (--no-health)");
        printStreams(streams);
        out.printf("  GetDashboard OK answers (measured) with a section unavailable (community did not answer in time): "
                + "%d%n", degraded.sum());
        printCpu(measured, streams.getFirst(), "GetDashboard", settings.health()
                ? "includes the health stream's cost; use --no-health for GetDashboard alone" : "GetDashboard alone");
        resultJson.add(scenarioJson("dashboard", workload, streams, measured, "\"degraded_answers\":" + degraded.sum()));
    }

    /**
     * Answers at {@code --answer-rate} (open loop), and per answer: SubmitAnswer's response → the first poll of that
     * player's read model that shows it ({@code --poll-with}: its line in GetActivityFeed, or GetDashboard's quiz total;
     * the projection writes both in one transaction; {@code none}: no polls, the SQL figure alone). The clock starts
     * when the response arrives, after quiz-service committed (it answers after the commit). The dashboard's commit
     * lies between the start of the last poll that did not show the answer and the end of the first one that did: both
     * ends are recorded (lower and upper bound).
     */
    private void eventLatencyScenario(List<Player> players, List<QuizQuestion> catalogue) throws InterruptedException {
        int n = players.size();
        long warmupAnswers = (long) settings.warmupSeconds() * settings.answerRate();
        ReadModelWatcher watcher = new ReadModelWatcher(players);
        int[] given = new int[n]; // answers handed to each player so far (scheduler thread only)
        for (int p = 0; p < n; p++) {
            given[p] = answered.get(p);
        }
        OpenLoopStream.Call submit = (i, done) -> {
            int p = (int) (i % n);
            SubmitAnswerRequest answer = answerFor(p, given[p]++, catalogue);
            boolean measured = i >= warmupAnswers;
            // the wall clock quiz-service stamps answered_at with (same machine), just before sending
            Instant sentAt = Instant.now();
            quiz[(int) (i % quiz.length)].withInterceptors(players.get(p).bearer())
                    .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                    .submitAnswer(answer, new StreamObserver<>() {
                        @Override
                        public void onNext(SubmitAnswerResponse response) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            Status status = Status.fromThrowable(t);
                            done.finish(status.getCode().name(), status.getDescription());
                        }

                        @Override
                        public void onCompleted() {
                            long respondedAt = System.nanoTime();
                            done.finish("OK", null);
                            int expected = answered.incrementAndGet(p);
                            if (settings.pollWith() != PollWith.NONE) {
                                watcher.watch(new Watch(p, expected, answer.getQuestionId(), sentAt, respondedAt,
                                        measured));
                            }
                        }
                    });
        };
        String workload = "SubmitAnswer at " + settings.answerRate() + "/s round-robin over " + n + " players, "
                + switch (settings.pollWith()) {
                    case FEED -> "each answer then polled with GetActivityFeed (page_size " + FEED_TOP.getPageSize()
                            + ") until its line is there";
                    case DASHBOARD -> "each answer then polled with GetDashboard until its quiz total counts it";
                    case NONE -> "no polls (the server-side SQL figure only)";
                } + (settings.pollWith() == PollWith.NONE ? "" : ", every " + settings.pollMs() + " ms, at most "
                + POLLS_IN_FLIGHT + " polls in flight");
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<OpenLoopStream> streams = List.of(new OpenLoopStream("SubmitAnswer", settings.answerRate(), start, 0,
                settings.warmupSeconds(), settings.durationSeconds(), submit));
        progress("event-latency: warm-up %d s, then measuring %d s (%s)", settings.warmupSeconds(),
                settings.durationSeconds(), workload);
        Instant windowFrom = Instant.now().plusMillis(200).plusSeconds(settings.warmupSeconds());
        Measured measured = measure(start, streams, watcher::drain);
        Instant windowTo = Instant.now();
        watcher.close();

        out.printf("%nscenario event-latency: %s; warm-up %d s, measured %d s%n", workload, settings.warmupSeconds(),
                settings.durationSeconds());
        printStreams(streams);
        if (settings.pollWith() != PollWith.NONE) {
            out.printf("  %-46s %6s %6s %8s %8s %8s %8s %8s%n", "SubmitAnswer response -> read model shows it",
                    "seen", "unseen", "p50", "p90", "p99", "p99.9", "max");
            out.println(latencyRow("  upper bound (the showing poll's end)", watcher.seenUpper, watcher.notSeen.sum()));
            out.println(latencyRow("  lower bound (the last other poll's start)", watcher.seenLower, watcher.notSeen.sum()));
            out.printf(Locale.ROOT, "  polls: every %d ms per pending answer, %.1f per answer, %d waited for a slot; a "
                            + "poll took p50 %s ms, p99 %s ms; poll errors %d%n", settings.pollMs(),
                    watcher.polls.sum() / (double) Math.max(1, streams.getFirst().ok.sum()), watcher.throttled.sum(),
                    Report.ms(watcher.pollLatency.getValueAtPercentile(50)),
                    Report.ms(watcher.pollLatency.getValueAtPercentile(99)), watcher.pollErrors.sum());
        }
        printCpu(measured, streams.getFirst(), "answer", settings.pollWith() == PollWith.NONE
                ? "dashboard-bff applying the events" : "dashboard-bff applying the events and answering the polls");
        out.printf("  server-side figure of the same answers (outbox created_at -> inbox processed_at): PGPASSWORD=postgres "
                        + "psql -h localhost -p 15432 -U postgres -d pawfiler -v from='%s' -v to='%s' -f "
                        + "benchmarks/dashboard-events/event-latency.sql%n", windowFrom, windowTo);
        out.flush();
        resultJson.add(scenarioJson("event-latency", workload, streams, measured,
                "\"answer_to_read_model_upper_ms\":" + Report.percentilesJson(watcher.seenUpper)
                        + ",\"answer_to_read_model_lower_ms\":" + Report.percentilesJson(watcher.seenLower)
                        + ",\"not_seen\":" + watcher.notSeen.sum() + ",\"poll_with\":"
                        + Report.quote(settings.pollWith().name().toLowerCase(Locale.ROOT))
                        + ",\"poll_ms\":" + settings.pollMs() + ",\"polls\":" + watcher.polls.sum()
                        + ",\"poll_latency_ms\":" + Report.percentilesJson(watcher.pollLatency)
                        + ",\"poll_errors\":" + watcher.pollErrors.sum()
                        + ",\"window_from\":" + Report.quote(windowFrom.toString())
                        + ",\"window_to\":" + Report.quote(windowTo.toString())));
    }

    private static String latencyRow(String name, Histogram h, long unseen) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-46s %6d %6d", name, h.getTotalCount(),
                unseen));
        for (double p : Report.PERCENTILES) {
            row.append(String.format(Locale.ROOT, " %8s", Report.ms(h.getValueAtPercentile(p))));
        }
        return row.append(String.format(Locale.ROOT, " %8s", Report.ms(h.getMaxValue()))).toString();
    }

    /** An accepted answer whose appearance in the player's read model is awaited. */
    private static final class Watch {
        final int player;
        final int expected;
        final String questionId;
        final long sentAtMicros;
        final long respondedAt;
        final boolean measured;
        /** Start of the latest poll that did not show the answer; the response time until one has been made. */
        long lastMissStart;

        Watch(int player, int expected, String questionId, Instant sentAt, long respondedAt, boolean measured) {
            this.player = player;
            this.expected = expected;
            this.questionId = questionId;
            this.sentAtMicros = sentAt.getEpochSecond() * 1_000_000L + sentAt.getNano() / 1000;
            this.respondedAt = respondedAt;
            this.measured = measured;
            this.lastMissStart = respondedAt;
        }
    }

    /**
     * Polls pending answers' read models, each every --poll-ms with one poll in flight, and never more than
     * {@link #POLLS_IN_FLIGHT} polls at once overall: if the dashboard falls behind, the resolution coarsens instead of
     * the polls multiplying into a load that starves the projection being measured (seen: 40k calls/s after a stall).
     */
    private final class ReadModelWatcher {
        final Histogram seenUpper = new ConcurrentHistogram(3);
        final Histogram seenLower = new ConcurrentHistogram(3);
        final Histogram pollLatency = new ConcurrentHistogram(3);
        final LongAdder polls = new LongAdder();
        final LongAdder notSeen = new LongAdder();
        final LongAdder pollErrors = new LongAdder();
        final LongAdder throttled = new LongAdder();
        private final AtomicLong pending = new AtomicLong();
        private final Semaphore slots = new Semaphore(POLLS_IN_FLIGHT);
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().name("read-model-poller").daemon().unstarted(r));
        private final List<Player> players;

        ReadModelWatcher(List<Player> players) {
            this.players = players;
        }

        void watch(Watch watch) {
            pending.incrementAndGet();
            poll(watch); // at once: the event may already be applied
        }

        private void poll(Watch watch) {
            if (!slots.tryAcquire()) {
                throttled.increment();
                later(watch, settings.pollMs());
                return;
            }
            long sent = System.nanoTime();
            var stub = dashboard[watch.player % dashboard.length].withInterceptors(players.get(watch.player).bearer())
                    .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS);
            if (settings.pollWith() == PollWith.FEED) {
                stub.getActivityFeed(FEED_TOP, observer(watch, sent, feed -> feed.getActivitiesList().stream()
                        .anyMatch(a -> a.getType() == ActivityType.ACTIVITY_QUIZ_ANSWERED
                                && a.getRefId().equals(watch.questionId)
                                && a.getOccurredAt().getSeconds() * 1_000_000L + a.getOccurredAt().getNanos() / 1000
                                >= watch.sentAtMicros)));
            } else {
                stub.getDashboard(request, observer(watch, sent,
                        view -> view.getQuiz().getTotalAnswered() >= watch.expected));
            }
        }

        private <T> StreamObserver<T> observer(Watch watch, long sent, Predicate<T> shows) {
            return new StreamObserver<>() {
                private boolean shown;

                @Override
                public void onNext(T value) {
                    shown = shows.test(value);
                }

                @Override
                public void onError(Throwable t) {
                    slots.release();
                    pollErrors.increment();
                    later(watch, settings.pollMs() * 10L); // a busy server gets room, not a retry storm
                }

                @Override
                public void onCompleted() {
                    long now = System.nanoTime();
                    slots.release();
                    polls.increment();
                    pollLatency.recordValue((now - sent) / 1000);
                    if (shown) {
                        if (watch.measured) {
                            seenUpper.recordValue((now - watch.respondedAt) / 1000);
                            seenLower.recordValue((watch.lastMissStart - watch.respondedAt) / 1000);
                        }
                        pending.decrementAndGet();
                    } else {
                        watch.lastMissStart = sent;
                        later(watch, settings.pollMs());
                    }
                }
            };
        }

        private void later(Watch watch, long delayMs) {
            if (System.nanoTime() - watch.respondedAt > NOT_SEEN_AFTER_NANOS) {
                if (watch.measured) {
                    notSeen.increment();
                }
                pending.decrementAndGet();
                return;
            }
            timer.schedule(() -> poll(watch), delayMs, TimeUnit.MILLISECONDS);
        }

        /** Until the last answers were seen (or given up on). */
        void drain() {
            long giveUp = System.nanoTime() + NOT_SEEN_AFTER_NANOS + TimeUnit.SECONDS.toNanos(1);
            while (pending.get() > 0 && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        void close() {
            timer.shutdownNow();
        }
    }

    /** CPU over the measured phase. {@code serverCpuMillis} is null without --server-pid. */
    private record Measured(long clientCpuNanos, Long serverCpuMillis) {
    }

    /** Runs the streams; CPU is read from the end of the warm-up until the last call (and {@code drain}) ended. */
    private Measured measure(long start, List<OpenLoopStream> streams, Runnable drain) throws InterruptedException {
        streams.forEach(OpenLoopStream::start);
        long warm = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
        long now;
        while ((now = System.nanoTime()) < warm) {
            LockSupport.parkNanos(warm - now);
        }
        long clientBefore = CpuTime.ownNanos();
        Long serverBefore = settings.serverPid() == null ? null : CpuTime.processMillis(settings.serverPid());
        long grace = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs() + 1000);
        for (OpenLoopStream stream : streams) {
            stream.awaitCompletion(grace);
        }
        drain.run();
        long clientCpu = CpuTime.ownNanos() - clientBefore;
        Long serverCpu = serverBefore == null ? null : CpuTime.processMillis(settings.serverPid()) - serverBefore;
        return new Measured(clientCpu, serverCpu);
    }

    private OpenLoopStream.Call healthCheck() {
        return (i, done) -> health[(int) (i % health.length)]
                .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance(), SubmitAnswerLoad.healthObserver(done));
    }

    /** OK with every section, or OK with some unavailable (counted: an answer, but a degraded one). */
    private static StreamObserver<Dashboard> countingDegraded(OpenLoopStream.Done done, LongAdder degraded) {
        StreamObserver<Dashboard> plain = OpenLoopStream.observer(done);
        return new StreamObserver<>() {
            @Override
            public void onNext(Dashboard view) {
                if (view.getUnavailableSectionsCount() > 0) {
                    degraded.increment();
                }
            }

            @Override
            public void onError(Throwable t) {
                plain.onError(t);
            }

            @Override
            public void onCompleted() {
                plain.onCompleted();
            }
        };
    }

    private void header() {
        out.printf("Pawfiler dashboard open-loop load, run %s, %s, %d CPUs, Java %s%n", runId, startedAt,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println("options: " + settings.describe());
        out.println("latency: ms from each request's INTENDED start (open loop) to its end; completed/s: OK responses"
                + " arriving inside the measured window / its length; errors by gRPC status");
        out.flush();
    }

    private void printStreams(List<OpenLoopStream> streams) {
        out.printf("  %-13s %7s %7s %7s %11s %8s %8s %8s %8s %8s%n",
                "stream", "sent", "ok", "errors", "completed/s", "p50", "p90", "p99", "p99.9", "max");
        for (OpenLoopStream stream : streams) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-13s %7d %7d %7d %11.1f",
                    stream.name, stream.sent.sum(), stream.ok.sum(), stream.errorCount(),
                    stream.okInWindow.sum() / (double) settings.durationSeconds()));
            for (double p : Report.PERCENTILES) {
                row.append(String.format(Locale.ROOT, " %8s", Report.ms(stream.latency.getValueAtPercentile(p))));
            }
            out.println(row.append(String.format(Locale.ROOT, " %8s", Report.ms(stream.latency.getMaxValue()))));
        }
        for (OpenLoopStream stream : streams) {
            out.printf("  %s errors: %s%n", stream.name, Report.errorsText(stream));
        }
        for (OpenLoopStream stream : streams) {
            out.printf(Locale.ROOT, "  %s client send lag (included above) p99 %s ms, max %s ms; max in flight %d%s%n",
                    stream.name, Report.ms(stream.sendLag.getValueAtPercentile(99)), Report.ms(stream.sendLag.getMaxValue()),
                    stream.maxInFlight(), stream.stillInFlight() > 0
                            ? "; STILL IN FLIGHT at the end: " + stream.stillInFlight() : "");
        }
        out.flush();
    }

    private void printCpu(Measured measured, OpenLoopStream main, String unit, String note) {
        out.printf(Locale.ROOT, "  client CPU (measured phase): %d ms = %.1f ms per s%n",
                measured.clientCpuNanos() / 1_000_000, measured.clientCpuNanos() / 1e6 / settings.durationSeconds());
        if (measured.serverCpuMillis() != null) {
            long calls = main.ok.sum();
            out.printf(Locale.ROOT, "  server CPU (pid %d, measured phase): %d ms = %.1f ms per s = %s ms per %s (%s)%n",
                    settings.serverPid(), measured.serverCpuMillis(),
                    measured.serverCpuMillis() / (double) settings.durationSeconds(),
                    calls == 0 ? "null" : String.format(Locale.ROOT, "%.3f", measured.serverCpuMillis() / (double) calls),
                    unit, note);
        }
        out.flush();
    }

    private String scenarioJson(String name, String workload, List<OpenLoopStream> streams, Measured measured,
                                String extra) {
        StringJoiner json = new StringJoiner(",", "[", "]");
        for (OpenLoopStream stream : streams) {
            StringJoiner errors = new StringJoiner(",", "{", "}");
            stream.errorsByCode().forEach((code, count) -> errors.add(Report.quote(code) + ":" + count));
            json.add("{\"name\":" + Report.quote(stream.name) + ",\"sent\":" + stream.sent.sum()
                    + ",\"ok\":" + stream.ok.sum() + ",\"errors\":" + errors
                    + ",\"warmup_failures\":" + stream.warmupFailures.sum()
                    + ",\"completed_per_s\":" + Report.fixed(stream.okInWindow.sum() / (double) settings.durationSeconds())
                    + ",\"latency_ms\":" + Report.percentilesJson(stream.latency)
                    + ",\"send_lag_ms\":" + Report.percentilesJson(stream.sendLag)
                    + ",\"max_in_flight\":" + stream.maxInFlight() + ",\"still_in_flight\":" + stream.stillInFlight() + "}");
        }
        return "{\"name\":" + Report.quote(name) + ",\"workload\":" + Report.quote(workload)
                + ",\"warmup_s\":" + settings.warmupSeconds() + ",\"duration_s\":" + settings.durationSeconds()
                + ",\"streams\":" + json + ",\"client_cpu_ms\":" + measured.clientCpuNanos() / 1_000_000
                + ",\"server_pid\":" + settings.serverPid() + ",\"server_cpu_ms\":" + measured.serverCpuMillis()
                + "," + extra + "}";
    }

    private void close() throws InterruptedException {
        List<ManagedChannel> all = new ArrayList<>(channels);
        all.addAll(quizChannels);
        all.add(authChannel);
        all.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : all) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Progress goes to stderr so stdout is only the report. */
    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}

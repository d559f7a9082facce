package io.pawfiler.benchmarks;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.auth.SignupResponse;
import io.pawfiler.api.quiz.GetQuestionByIdRequest;
import io.pawfiler.api.quiz.GetQuestionStatsRequest;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.Point;
import io.pawfiler.api.quiz.QuestionStat;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import org.HdrHistogram.Histogram;

/**
 * Open-loop gRPC load on quiz {@code SubmitAnswer} against a running {@code ./pawfiler up}, with the same server's
 * gRPC health check as a no-op baseline stream at the same rate. Sign-ups and question lookups happen before the
 * clock starts; only loopback addresses are ever contacted. See benchmarks/load-harness/README.md.
 */
public final class SubmitAnswerLoad {

    /** Sign-ups hash a password (Argon2id) each: a few at a time keeps auth-service busy but not swamped. */
    static final int SETUP_IN_FLIGHT = 8;
    static final long SETUP_DEADLINE_MS = 30_000;
    /** AccountRules: 8..256 characters, not the email address. */
    static final String PASSWORD = "load-harness-password-1";
    /** quiz-service's Energy rules: an answer costs 5, a new player has 100, so 20 answers per account. */
    static final int ENERGY_PER_ANSWER = 5;
    static final int STARTING_ENERGY = 100;
    private static final int IDLE_WARMUP_CALLS = 20;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private record Player(ClientInterceptor bearer, QuizQuestion draw) {
    }

    private final Options options;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final ManagedChannel authChannel;
    private final List<ManagedChannel> quizChannels = new ArrayList<>();
    private final QuizServiceGrpc.QuizServiceStub[] quiz;
    private final HealthGrpc.HealthStub[] health;

    private SubmitAnswerLoad(Options options) {
        this.options = options;
        this.authChannel = channel(options.auth());
        for (int i = 0; i < options.channels(); i++) {
            quizChannels.add(channel(options.quiz()));
        }
        this.quiz = quizChannels.stream().map(QuizServiceGrpc::newStub).toArray(QuizServiceGrpc.QuizServiceStub[]::new);
        this.health = quizChannels.stream().map(HealthGrpc::newStub).toArray(HealthGrpc.HealthStub[]::new);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        SubmitAnswerLoad load = new SubmitAnswerLoad(options);
        try {
            load.run();
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
            System.err.println("error: " + e.getMessage() + " (is ./pawfiler up running?)");
            System.exit(1);
        } finally {
            load.close();
        }
    }

    private void run() throws Exception {
        if (options.serverPid() != null) {
            CpuTime.processMillis(options.serverPid()); // fail now, not after the sign-ups
        }
        Report report = new Report(runId, options);
        report.header();
        List<QuizQuestion> catalogue = null;
        for (String scenario : options.scenarios()) {
            List<Player> players = preparePlayers(scenario, playersPerScenario());
            if (catalogue == null) {
                catalogue = catalogue(quizChannels.getFirst(), players.getFirst().bearer());
                if (options.idleCalls() > 0) {
                    measureIdle(report, players.getFirst(), catalogue.getFirst().getId());
                }
            }
            report.scenario(load(scenario, players, catalogue));
        }
        if (options.json() != null) {
            report.writeJson(options.json());
        }
    }

    /** --players, or (auto) just enough accounts that nobody runs out of energy during warm-up + measurement. */
    private int playersPerScenario() {
        if (options.players() != null) {
            return options.players();
        }
        long answers = (long) options.rate() * (options.warmupSeconds() + options.durationSeconds());
        return (int) Math.ceilDiv(answers, STARTING_ENERGY / ENERGY_PER_ANSWER);
    }

    /** Fresh accounts (so every scenario starts with full energy), each with one drawn question. */
    private List<Player> preparePlayers(String scenario, int count) throws InterruptedException {
        long started = System.nanoTime();
        AuthServiceGrpc.AuthServiceStub auth = AuthServiceGrpc.newStub(authChannel);
        List<SignupResponse> signups = bounded("auth.AuthService/Signup", count, i -> call(observer ->
                auth.withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS).signup(SignupRequest.newBuilder()
                        .setEmail("load-" + runId + "-" + scenario + "-" + i + "@example.test")
                        .setPassword(PASSWORD)
                        .setNickname("load " + i)
                        .build(), observer)));
        progress("%s: signed up %d players in %.1f s", scenario, signups.size(), seconds(started));

        started = System.nanoTime();
        List<ClientInterceptor> bearers = signups.stream().map(s -> bearer(s.getAccessToken())).toList();
        // a first draw also makes sure each quiz profile exists before the clock starts
        List<QuizQuestion> draws = bounded("quiz.QuizService/GetRandomQuestion", bearers.size(), i -> call(observer -> quiz[i % quiz.length]
                .withInterceptors(bearers.get(i)).withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance(), observer)));
        progress("%s: drew a first question for each player in %.1f s", scenario, seconds(started));

        List<Player> players = new ArrayList<>();
        for (int i = 0; i < bearers.size(); i++) {
            players.add(new Player(bearers.get(i), draws.get(i)));
        }
        return players;
    }

    /** Every question in play (GetQuestionStats lists them all), with its type from GetQuestionById. */
    static List<QuizQuestion> catalogue(ManagedChannel quizChannel, ClientInterceptor bearer) {
        QuizServiceGrpc.QuizServiceBlockingStub stub = QuizServiceGrpc.newBlockingStub(quizChannel)
                .withInterceptors(bearer).withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS);
        List<QuizQuestion> questions = new ArrayList<>();
        for (QuestionStat stat : stub.getQuestionStats(GetQuestionStatsRequest.getDefaultInstance()).getStatsList()) {
            questions.add(stub.getQuestionById(GetQuestionByIdRequest.newBuilder().setQuestionId(stat.getId()).build()));
        }
        if (questions.isEmpty()) {
            throw new IllegalStateException("quiz-service lists no questions");
        }
        progress("catalogue: %d questions", questions.size());
        return questions;
    }

    /** One call at a time on a warmed channel: what a single request costs when nothing queues. */
    private void measureIdle(Report report, Player player, String questionId) {
        HealthGrpc.HealthBlockingStub healthStub = HealthGrpc.newBlockingStub(quizChannels.getFirst());
        QuizServiceGrpc.QuizServiceBlockingStub quizStub = QuizServiceGrpc.newBlockingStub(quizChannels.getFirst())
                .withInterceptors(player.bearer());
        GetQuestionByIdRequest byId = GetQuestionByIdRequest.newBuilder().setQuestionId(questionId).build();
        Histogram healthLatency = new Histogram(3);
        Histogram byIdLatency = new Histogram(3);
        for (int i = 0; i < IDLE_WARMUP_CALLS + options.idleCalls(); i++) {
            boolean record = i >= IDLE_WARMUP_CALLS;
            long started = System.nanoTime();
            healthStub.withDeadlineAfter(options.deadlineMs(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            long between = System.nanoTime();
            quizStub.withDeadlineAfter(options.deadlineMs(), TimeUnit.MILLISECONDS).getQuestionById(byId);
            long ended = System.nanoTime();
            if (record) {
                healthLatency.recordValue((between - started) / 1000);
                byIdLatency.recordValue((ended - between) / 1000);
            }
        }
        report.idle(options.idleCalls(), healthLatency, byIdLatency);
    }

    private Report.Scenario load(String scenario, List<Player> players, List<QuizQuestion> catalogue)
            throws InterruptedException {
        int rate = options.rate();
        // requests go to players round-robin, so each gets at most this many (warm-up included)
        long answersPerPlayer = Math.ceilDiv((long) rate * (options.warmupSeconds() + options.durationSeconds()),
                players.size());
        int energy = players.stream().mapToInt(p -> p.draw().getEnergy()).min().orElse(0);
        if (answersPerPlayer * ENERGY_PER_ANSWER > energy) {
            progress("WARNING: up to %d answers per player at %d energy each, but players have %d energy: expect "
                            + "RESOURCE_EXHAUSTED insufficient_energy; use more --players (or leave it on auto)",
                    answersPerPlayer, ENERGY_PER_ANSWER, energy);
        }
        boolean hot = scenario.equals("hot");
        SubmitAnswerRequest[] answers = catalogue.stream().map(SubmitAnswerLoad::answer)
                .toArray(SubmitAnswerRequest[]::new);
        Map<String, Integer> position = new HashMap<>();
        for (int q = 0; q < catalogue.size(); q++) {
            position.put(catalogue.get(q).getId(), q);
        }
        // spread: player p answers the catalogue in order, starting at its own random draw
        int[] firstQuestion = players.stream()
                .mapToInt(p -> position.getOrDefault(p.draw().getId(), 0)).toArray();
        SubmitAnswerRequest hotAnswer = answer(players.getFirst().draw());
        String workload = hot ? "all answering question " + hotAnswer.getQuestionId()
                : "answers cycled over " + catalogue.size() + " questions";

        int n = players.size();
        OpenLoopStream.Call submit = (i, done) -> {
            int p = (int) (i % n);
            SubmitAnswerRequest template = hot ? hotAnswer
                    : answers[(int) ((firstQuestion[p] + i / n) % answers.length)];
            quiz[(int) (i % quiz.length)].withInterceptors(players.get(p).bearer())
                    .withDeadlineAfter(options.deadlineMs(), TimeUnit.MILLISECONDS)
                    .submitAnswer(template.toBuilder().setAttemptId(UUID.randomUUID().toString()).build(),
                            OpenLoopStream.observer(done));
        };
        OpenLoopStream.Call check = (i, done) -> health[(int) (i % health.length)]
                .withDeadlineAfter(options.deadlineMs(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance(), healthObserver(done));

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<OpenLoopStream> streams = new ArrayList<>();
        streams.add(new OpenLoopStream("SubmitAnswer", rate, start, 0, options.warmupSeconds(),
                options.durationSeconds(), submit));
        if (options.health()) {
            // half a period later, so the two streams interleave instead of sending in pairs
            streams.add(new OpenLoopStream("health", rate, start, 0.5, options.warmupSeconds(),
                    options.durationSeconds(), check));
        }
        progress("%s: warm-up %d s, then measuring %d s at %d/s per stream (%s)", scenario, options.warmupSeconds(),
                options.durationSeconds(), rate, workload);
        streams.forEach(OpenLoopStream::start);

        parkUntil(start + TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
        long clientBefore = CpuTime.ownNanos();
        Long serverBefore = options.serverPid() == null ? null : CpuTime.processMillis(options.serverPid());
        long grace = TimeUnit.MILLISECONDS.toNanos(options.deadlineMs() + 1000);
        for (OpenLoopStream stream : streams) {
            stream.awaitCompletion(grace);
        }
        long clientCpu = CpuTime.ownNanos() - clientBefore;
        Long serverCpu = serverBefore == null ? null : CpuTime.processMillis(options.serverPid()) - serverBefore;
        return new Report.Scenario(scenario, workload, n, rate, options.warmupSeconds(), options.durationSeconds(),
                options.health(), streams, clientCpu, options.serverPid(), serverCpu);
    }

    /** Any answer of the right shape: correctness does not matter here, only that the server grades it. */
    static SubmitAnswerRequest answer(QuizQuestion question) {
        SubmitAnswerRequest.Builder answer = SubmitAnswerRequest.newBuilder().setQuestionId(question.getId());
        switch (question.getType()) {
            case MULTIPLE_CHOICE -> answer.setSelectedIndex(0);
            case TRUE_FALSE -> answer.setSelectedAnswer(true);
            case REGION_SELECT -> answer.setSelectedRegion(Point.newBuilder().setX(0.5f).setY(0.5f));
            case COMPARISON -> answer.setSelectedSide("left");
            default -> throw new IllegalStateException("unknown question type " + question.getType());
        }
        return answer.build();
    }

    /** A health check that answers anything but SERVING counts as failed, like an error status. */
    static StreamObserver<HealthCheckResponse> healthObserver(OpenLoopStream.Done done) {
        StreamObserver<HealthCheckResponse> plain = OpenLoopStream.observer(done);
        return new StreamObserver<>() {
            private HealthCheckResponse.ServingStatus status;

            @Override
            public void onNext(HealthCheckResponse value) {
                status = value.getStatus();
            }

            @Override
            public void onError(Throwable t) {
                plain.onError(t);
            }

            @Override
            public void onCompleted() {
                if (status == HealthCheckResponse.ServingStatus.SERVING) {
                    plain.onCompleted();
                } else {
                    done.finish(String.valueOf(status), "health status " + status);
                }
            }
        };
    }

    /** Runs {@code count} setup calls, at most {@link #SETUP_IN_FLIGHT} at once; any failure aborts the run. */
    static <T> List<T> bounded(String method, int count, IntFunction<CompletableFuture<T>> call)
            throws InterruptedException {
        Semaphore permits = new Semaphore(SETUP_IN_FLIGHT);
        List<CompletableFuture<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletableFuture<T> future = call.apply(i);
            future.whenComplete((value, failure) -> permits.release());
            futures.add(future);
        }
        List<T> results = new ArrayList<>(count);
        for (CompletableFuture<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                Status status = Status.fromThrowable(e.getCause());
                throw new IllegalStateException(method + " failed during setup: " + status.getCode() + " "
                        + status.getDescription(), e.getCause());
            }
        }
        return results;
    }

    interface AsyncCall<T> {
        void start(StreamObserver<T> observer);
    }

    static <T> CompletableFuture<T> call(AsyncCall<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        call.start(new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                future.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.completeExceptionally(new IllegalStateException("no response"));
            }
        });
        return future;
    }

    static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * Plaintext h2c to a literal loopback address (checked by {@link Options}). Callbacks run on the transport's
     * threads: they only record a number, and a hand-off to another pool would add to the latency measured.
     */
    static ManagedChannel channel(InetSocketAddress address) {
        return NettyChannelBuilder.forAddress(address).usePlaintext().directExecutor().build();
    }

    private void close() throws InterruptedException {
        authChannel.shutdownNow();
        quizChannels.forEach(ManagedChannel::shutdownNow);
        authChannel.awaitTermination(5, TimeUnit.SECONDS);
        for (ManagedChannel channel : quizChannels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void parkUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(deadline - now);
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

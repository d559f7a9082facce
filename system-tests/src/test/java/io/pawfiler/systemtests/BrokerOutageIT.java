package io.pawfiler.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.dashboard.GetDashboardRequest;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.video.GetAnalysisStatusRequest;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.systemtests.Resilience.Account;
import io.pawfiler.systemtests.Resilience.Reply;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.kafka.TestKafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #15, broker outage mid-traffic: players sign up (auth), answer (quiz) and upload videos (video-analysis) while
 * the Kafka broker is stopped for {@code pawfiler.it.outage} (default 30 s) and started again. No request fails
 * because Kafka is down (the producers' outboxes hold the events), and afterwards, within a bound, every event has
 * had its effect once: a quiz profile for every sign-up, every upload analysed, the dashboard's totals equal to what
 * quiz-service acknowledged and to the uploads. On the {@link EdgeStack#shared() shared stack}, after the journeys.
 */
@UsesSharedStack
@org.junit.jupiter.api.Order(7)
class BrokerOutageIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("pawfiler.it.outage", "PT30S"));
    /** Traffic before the broker stops and after it is back. */
    private static final Duration TRAFFIC_AROUND = Duration.ofSeconds(5);
    /**
     * From the broker's restart until every effect is there: the relays back off up to 10 s, consumers rejoin, and
     * the uploads queued during the outage are analysed one after the other (on a quiet machine ~15-25 s in all;
     * the bound leaves room for a 2-core machine shared with other builds).
     */
    private static final Duration RECOVERY = Duration.ofSeconds(150);

    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ServiceProcess video;
    private static ServiceProcess dashboard;
    private static ManagedChannel quizChannel;
    private static ManagedChannel videoChannel;
    private static ManagedChannel dashboardChannel;

    @BeforeAll
    static void connect() throws Exception {
        EdgeStack stack = EdgeStack.shared();
        auth = stack.service("auth-service");
        quiz = stack.service("quiz-service");
        video = stack.service("video-analysis-service");
        dashboard = stack.service("dashboard-bff");
        quizChannel = GrpcClients.plaintext(quiz.port());
        videoChannel = GrpcClients.plaintext(video.port());
        dashboardChannel = GrpcClients.plaintext(dashboard.port());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        for (ManagedChannel channel : new ManagedChannel[] {quizChannel, videoChannel, dashboardChannel}) {
            GrpcClients.close(channel);
        }
        TestKafka.startBroker(); // in case the test stopped at an assertion during the outage
    }

    /** What the traffic did, per kind of request. */
    private static final class Tally {
        final String kind;
        final AtomicInteger tried = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();

        Tally(String kind) {
            this.kind = kind;
        }

        void failed(String what, boolean serverError) {
            if (serverError) {
                serverErrors.incrementAndGet();
            }
            if (failures.size() < 20) {
                failures.add(what);
            }
        }

        @Override
        public String toString() {
            return kind + ": " + tried + " tried, " + ok + " ok, " + (tried.get() - ok.get()) + " failed (" + serverErrors
                    + " 5xx/UNAVAILABLE/INTERNAL)" + (failures.isEmpty() ? "" : " " + failures);
        }
    }

    @Test
    void everyRequestSucceedsWhileKafkaIsDownAndEveryEventTakesEffectOnceAfter() throws Exception {
        byte[] clip = Resilience.faceClip("outage-face", 3, 640, 360);
        // the consumers are connected and the topics exist: one player's sign-up reaches quiz before the traffic
        Account first = Resilience.signUp(auth, "첫탐정");
        Resilience.await("the first player's quiz profile", Duration.ofSeconds(60),
                () -> profileHasCard(first));

        List<Account> players = new CopyOnWriteArrayList<>(List.of(first));
        Map<String, AtomicInteger> answersOf = new ConcurrentHashMap<>();
        Map<String, Set<String>> ackedAttempts = new ConcurrentHashMap<>();
        Map<String, List<String>> tasksOf = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> uploadsOf = new ConcurrentHashMap<>();
        Tally signUps = new Tally("sign-ups");
        Tally answers = new Tally("answers");
        Tally uploads = new Tally("uploads");
        AtomicBoolean traffic = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();

        running.add(threads.submit(() -> {
            int n = 0;
            while (traffic.get()) {
                signUps.tried.incrementAndGet();
                Reply reply = Resilience.trySignUp(auth, "정전탐정" + (++n));
                if (reply.ok()) {
                    signUps.ok.incrementAndGet();
                    players.add(Resilience.account(reply));
                } else {
                    signUps.failed(reply.status() + " " + reply.body(), reply.status() >= 500);
                }
                pause(600);
            }
            return null;
        }));
        for (int t = 0; t < 2; t++) {
            running.add(threads.submit(() -> {
                while (traffic.get()) {
                    Account player = pick(players, answersOf, Resilience.ANSWERS_PER_PLAYER);
                    if (player == null) {
                        pause(100);
                        continue;
                    }
                    String attempt = UUID.randomUUID().toString();
                    answers.tried.incrementAndGet();
                    try {
                        var response = Resilience.stub(QuizServiceGrpc.newBlockingStub(quizChannel), player)
                                .submitAnswer(SubmitAnswerRequest.newBuilder()
                                        .setQuestionId(Resilience.QUESTIONS.get(ThreadLocalRandom.current().nextInt(4)))
                                        .setSelectedIndex(ThreadLocalRandom.current().nextInt(2))
                                        .setAttemptId(attempt).build());
                        assertEquals(attempt, response.getAttemptId());
                        answers.ok.incrementAndGet();
                        ackedAttempts.computeIfAbsent(player.id(), k -> ConcurrentHashMap.newKeySet()).add(attempt);
                    } catch (StatusRuntimeException e) {
                        answers.failed(e.getStatus().toString(), switch (e.getStatus().getCode()) {
                            case UNAVAILABLE, INTERNAL, UNKNOWN, DEADLINE_EXCEEDED -> true;
                            default -> false;
                        });
                    }
                    pause(80);
                }
                return null;
            }));
        }
        running.add(threads.submit(() -> {
            while (traffic.get()) {
                Account player = pick(players, uploadsOf, Resilience.UPLOADS_PER_PLAYER);
                if (player != null) {
                    uploads.tried.incrementAndGet();
                    Reply reply = Resilience.tryUpload(video, player, clip, "outage.mp4");
                    if (reply.status() == 202) {
                        uploads.ok.incrementAndGet();
                        tasksOf.computeIfAbsent(player.id(), k -> new CopyOnWriteArrayList<>())
                                .add(reply.json().getString("task_id"));
                    } else {
                        uploads.failed(reply.status() + " " + reply.body(), reply.status() >= 500 || reply.status() < 0);
                    }
                }
                // every 4 s: 10 or so uploads in the window, each a real analysis the recovery waits for
                pause(4_000);
            }
            return null;
        }));

        Thread.sleep(TRAFFIC_AROUND.toMillis());
        long stopping = System.nanoTime();
        TestKafka.stopBroker();
        long stopped = System.nanoTime();
        int answeredBefore = answers.ok.get();
        // the services stay ready while the broker is away (a load balancer keeps sending them players)
        int readinessProbes = 0;
        List<String> notReady = new ArrayList<>();
        while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            for (ServiceProcess service : List.of(auth, quiz, video, dashboard)) {
                readinessProbes++;
                int status = service.get("/health/ready");
                if (status != 200) {
                    notReady.add(service.baseUrl() + " " + status);
                }
            }
            Thread.sleep(2_000);
        }
        int answeredDuring = answers.ok.get() - answeredBefore;
        int signedUpDuring = signUps.ok.get();
        int uploadedDuring = uploads.ok.get();
        TestKafka.startBroker();
        long restarted = System.nanoTime();
        Thread.sleep(TRAFFIC_AROUND.toMillis());
        traffic.set(false);
        for (Future<?> thread : running) {
            thread.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
        long trafficEnded = System.nanoTime();

        System.out.printf("BrokerOutageIT: broker stopped in %s, down %s (start included: %d ms)%n",
                Resilience.seconds(stopped - stopping), Resilience.seconds(restarted - stopped),
                TestKafka.broker().lastStartTime().toMillis());
        System.out.println("BrokerOutageIT: " + signUps + "; " + answers + "; " + uploads);
        System.out.printf("BrokerOutageIT: while the broker was down (counters at its restart): %d answers, "
                + "sign-ups and uploads so far %d and %d%n", answeredDuring, signedUpDuring, uploadedDuring);

        System.out.printf("BrokerOutageIT: readiness during the outage: %d probes, %d not ready %s%n", readinessProbes,
                notReady.size(), notReady);
        assertEquals(List.of(), notReady, "every service stays ready without the broker");
        // not one request failed: the outboxes held every event while the broker was away
        for (Tally tally : List.of(signUps, answers, uploads)) {
            assertEquals(tally.tried.get(), tally.ok.get(), tally.toString());
        }
        assertTrue(answeredDuring > 0, "answers were acknowledged while the broker was down");
        assertTrue(players.size() > 10 && uploads.ok.get() > 5, signUps + "; " + uploads);

        // every effect, within the bound from the broker's restart
        long recoveryDeadline = restarted + RECOVERY.toNanos();
        Map<String, Integer> acked = ackedAttempts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
        int ackedTotal = acked.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(answers.ok.get(), ackedTotal, "each acknowledged attempt id counted once");

        Set<String> withoutProfile = new HashSet<>(players.stream().map(Account::id).toList());
        Set<String> tasksNotFinished = tasksOf.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        Map<String, Account> pendingDashboards = new HashMap<>();
        players.forEach(p -> pendingDashboards.put(p.id(), p));
        Map<String, Long> recoveredAt = new HashMap<>();
        Map<String, String> lastDashboard = new HashMap<>();
        while (System.nanoTime() < recoveryDeadline
                && !(withoutProfile.isEmpty() && tasksNotFinished.isEmpty() && pendingDashboards.isEmpty())) {
            for (Account player : players) {
                if (withoutProfile.contains(player.id()) && profileHasCard(player)) {
                    withoutProfile.remove(player.id());
                }
            }
            if (withoutProfile.isEmpty()) {
                recoveredAt.putIfAbsent("profiles", System.nanoTime());
            }
            for (Map.Entry<String, List<String>> owner : tasksOf.entrySet()) {
                Account player = players.stream().filter(p -> p.id().equals(owner.getKey())).findFirst().orElseThrow();
                var videos = Resilience.stub(VideoAnalysisServiceGrpc.newBlockingStub(videoChannel), player);
                for (String task : owner.getValue()) {
                    if (tasksNotFinished.contains(task)) {
                        String stage = videos.getAnalysisStatus(GetAnalysisStatusRequest.newBuilder().setTaskId(task)
                                .build()).getStage();
                        if (stage.equals("COMPLETED") || stage.equals("FAILED")) {
                            tasksNotFinished.remove(task);
                        }
                    }
                }
            }
            if (tasksNotFinished.isEmpty()) {
                recoveredAt.putIfAbsent("analyses", System.nanoTime());
            }
            for (Account player : List.copyOf(pendingDashboards.values())) {
                Dashboard view = Resilience.stub(DashboardServiceGrpc.newBlockingStub(dashboardChannel), player)
                        .getDashboard(GetDashboardRequest.getDefaultInstance());
                int expectedAnalyses = tasksOf.getOrDefault(player.id(), List.of()).size();
                if (view.getQuiz().getTotalAnswered() == acked.getOrDefault(player.id(), 0)
                        && view.getAnalysis().getTotalAnalyses() == expectedAnalyses
                        && view.getAnalysis().getFailedCount() == 0
                        && view.getAnalysis().getRealCount() + view.getAnalysis().getFakeCount()
                        + view.getAnalysis().getInconclusiveCount() == expectedAnalyses
                        && view.getNickname().startsWith(player == first ? "첫" : "정전")) {
                    pendingDashboards.remove(player.id());
                } else {
                    lastDashboard.put(player.id(), "answered " + view.getQuiz().getTotalAnswered() + " of "
                            + acked.getOrDefault(player.id(), 0) + ", analyses " + view.getAnalysis() + ", nickname "
                            + view.getNickname());
                }
            }
            if (pendingDashboards.isEmpty()) {
                recoveredAt.putIfAbsent("dashboard", System.nanoTime());
            } else {
                Thread.sleep(500);
            }
        }
        System.out.printf("BrokerOutageIT: recovered after the broker's restart: profiles %s, analyses %s, dashboard %s"
                        + " (traffic ended %s after the restart)%n",
                since(restarted, recoveredAt.get("profiles")), since(restarted, recoveredAt.get("analyses")),
                since(restarted, recoveredAt.get("dashboard")), Resilience.seconds(trafficEnded - restarted));
        assertEquals(Set.of(), withoutProfile, "sign-ups without a quiz profile " + RECOVERY.toSeconds()
                + " s after the broker came back");
        assertEquals(Set.of(), tasksNotFinished, "uploads not analysed " + RECOVERY.toSeconds()
                + " s after the broker came back");
        assertEquals(Map.of(), pendingDashboards.keySet().stream().collect(Collectors.toMap(id -> id,
                id -> lastDashboard.getOrDefault(id, "?"))), "dashboards not adding up");

        // the events themselves: each sign-up, answer and upload once in effect (re-sends carry the same event id)
        int uploaded = tasksOf.values().stream().mapToInt(List::size).sum();
        Set<String> playerIds = players.stream().map(Account::id).collect(Collectors.toSet());
        EventCount registered = EventCount.of("user.registered", "userId", playerIds,
                r -> playerIds.size() <= distinct(r, "userId", playerIds));
        Set<String> attempts = ackedAttempts.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        EventCount answered = EventCount.of("quiz.answered", "attemptId", attempts,
                r -> attempts.size() <= distinct(r, "attemptId", attempts));
        Set<String> taskIds = tasksOf.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        EventCount completed = EventCount.of("analysis.completed", "taskId", taskIds,
                r -> taskIds.size() <= distinct(r, "taskId", taskIds));
        System.out.println("BrokerOutageIT: events produced (records, distinct event ids, distinct keys) vs applied: "
                + registered + " vs " + players.size() + " profiles; " + answered + " vs " + ackedTotal
                + " answers on the dashboards; " + completed + " vs " + uploaded + " analyses");
        assertEquals(playerIds.size(), registered.distinctKeys);
        assertEquals(registered.distinctKeys, registered.distinctIds, "one user.registered event per sign-up");
        assertEquals(attempts.size(), answered.distinctKeys);
        assertEquals(answered.distinctKeys, answered.distinctIds, "one quiz.answered event per answer");
        assertEquals(taskIds.size(), completed.distinctKeys);
    }

    /** One topic's records about the test's own keys: how many, how many event ids, how many keys. */
    private record EventCount(String topic, int records, int distinctIds, int distinctKeys) {
        static EventCount of(String topic, String field, Set<String> keys,
                             java.util.function.Predicate<List<KafkaTopics.Record>> done) {
            List<KafkaTopics.Record> all = KafkaTopics.readUntil(topic, Duration.ofSeconds(30), done);
            List<KafkaTopics.Record> ours = all.stream()
                    .filter(r -> keys.contains(CloudEvents.data(r.value()).getString(field, ""))).toList();
            return new EventCount(topic, ours.size(),
                    (int) ours.stream().map(r -> CloudEvents.parse(r.value()).getString("id")).distinct().count(),
                    distinct(ours, field, keys));
        }

        @Override
        public String toString() {
            return topic + " " + records + "/" + distinctIds + "/" + distinctKeys;
        }
    }

    private static int distinct(List<KafkaTopics.Record> records, String field, Set<String> keys) {
        return (int) records.stream().map(r -> CloudEvents.data(r.value()).getString(field, ""))
                .filter(keys::contains).distinct().count();
    }

    private static boolean profileHasCard(Account player) {
        return Resilience.stub(QuizServiceGrpc.newBlockingStub(quizChannel), player)
                .getUserProfile(GetUserProfileRequest.getDefaultInstance()).hasNickname();
    }

    /** The player with the fewest uses below {@code limit} (each player's energy or quota spread), or null. */
    private static synchronized Account pick(List<Account> players, Map<String, AtomicInteger> uses, int limit) {
        Account best = null;
        int fewest = limit;
        for (Account player : players) {
            int used = uses.computeIfAbsent(player.id(), k -> new AtomicInteger()).get();
            if (used < fewest) {
                best = player;
                fewest = used;
            }
        }
        if (best != null) {
            uses.get(best.id()).incrementAndGet();
        }
        return best;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String since(long from, Long at) {
        return at == null ? "never" : Resilience.seconds(at - from);
    }
}

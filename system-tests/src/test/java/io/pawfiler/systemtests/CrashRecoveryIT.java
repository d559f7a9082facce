package io.pawfiler.systemtests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.dashboard.Dashboard;
import io.pawfiler.api.dashboard.DashboardServiceGrpc;
import io.pawfiler.api.dashboard.GetDashboardRequest;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.video.AnalysisStatus;
import io.pawfiler.api.video.GetAnalysisStatusRequest;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.systemtests.Resilience.Account;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #15, crashes: {@code kill -9} of quiz-service in the middle of answers, and of a video-analysis worker in the
 * middle of an analysis, each restarted as an operator (or an orchestrator) would restart it.
 * <ul>
 * <li>quiz: every answer acknowledged before the crash is in quiz's user_answers once, and a client retrying the
 *     ones it got no answer for (same attempt id) has each counted once too; quiz.answered went out for each, re-sent
 *     only under the same event id, and the dashboard's totals equal quiz's rows.</li>
 * <li>video: a task whose worker died mid-run is taken again and completes; one whose runs keep dying ends FAILED after
 *     {@code pawfiler.video.max-attempts} with the reason, never stuck.</li>
 * </ul>
 */
class CrashRecoveryIT {

    private static final Duration ALL_READY = Duration.ofSeconds(300);
    private static final Duration RESTART_READY = Duration.ofSeconds(180);
    /** From a restart being ready until its effects are there (a dead consumer-group member expires after 10 s). */
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final int MAX_ATTEMPTS = 2;
    /** dashboard-bff's DailyQuests: quiz_correct_3's XP, granted through xp.granted and credited by quiz. */
    private static final int QUIZ_QUEST_XP = 30;
    private static final Set<String> RUNNING = Set.of("DECODING", "DETECTING_FACES", "SCORING");

    private static TestPostgres.Database database;
    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ServiceProcess video;
    private static ServiceProcess dashboard;
    private static Map<String, String> quizEnv;
    private static Map<String, String> videoEnv;
    private static ManagedChannel quizChannel;
    private static ManagedChannel videoChannel;
    private static ManagedChannel dashboardChannel;

    @BeforeAll
    static void startServices() throws Exception {
        database = TestPostgres.createDatabase("crashrecovery");
        int authPort = Services.freePort();
        String jwks = Resilience.jwks(authPort);
        quizEnv = Map.of("PAWFILER_AUTH_JWKS_URL", jwks);
        // all 32 frames: an analysis long enough to be caught in the middle
        videoEnv = Resilience.videoEnv(jwks, Services.projectRoot().resolve("system-tests/target/crash-recovery/videos"),
                Map.of("PAWFILER_VIDEO_FRAMES", "32", "PAWFILER_VIDEO_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS)));
        auth = Services.launch("auth-service", database, Resilience.authEnv(), authPort);
        quiz = Services.launch("quiz-service", database, quizEnv, Services.freePort());
        video = Services.launch("video-analysis-service", database, videoEnv, Services.freePort());
        dashboard = Services.launch("dashboard-bff", database, Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                "PAWFILER_DASHBOARD_COMMUNITY_PORT", String.valueOf(Services.freePort())), Services.freePort());
        Services.awaitReady(ALL_READY, auth, quiz, video, dashboard);
        quizChannel = GrpcClients.plaintext(quiz.port());
        videoChannel = GrpcClients.plaintext(video.port());
        dashboardChannel = GrpcClients.plaintext(dashboard.port());
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        for (ManagedChannel channel : new ManagedChannel[] {quizChannel, videoChannel, dashboardChannel}) {
            GrpcClients.close(channel);
        }
        Services.stopAll(dashboard, video, quiz, auth);
    }

    @Test
    void quizKilledMidAnswersKeepsEveryAcknowledgedAnswerOnce() throws Exception {
        int playerCount = 8;
        List<Account> players = new ArrayList<>();
        for (int i = 0; i < playerCount; i++) {
            players.add(Resilience.signUp(auth, "충돌탐정" + i));
        }
        Set<String> ids = players.stream().map(Account::id).collect(Collectors.toSet());
        Map<String, String> ackedBeforeKill = new ConcurrentHashMap<>(); // attempt → user
        Map<String, String> acked = new ConcurrentHashMap<>();
        Map<String, SubmitAnswerRequest> requests = new ConcurrentHashMap<>();
        Map<String, SubmitAnswerResponse> responses = new ConcurrentHashMap<>();
        Map<String, Integer> xpOf = new ConcurrentHashMap<>();
        Map<String, Integer> correctOf = new ConcurrentHashMap<>();
        AtomicInteger tried = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        List<String> otherFailures = new CopyOnWriteArrayList<>();
        AtomicLong killedAt = new AtomicLong();
        AtomicLong firstAckAfterRestart = new AtomicLong();
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();

        // four clients, two players each: every answer is retried with its attempt id until it is acknowledged
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            List<Account> mine = players.subList(2 * c, 2 * c + 2);
            running.add(clients.submit(() -> {
                for (int slot = 0; slot < Resilience.ANSWERS_PER_PLAYER; slot++) {
                    for (Account player : mine) {
                        String attempt = UUID.randomUUID().toString();
                        SubmitAnswerRequest request = SubmitAnswerRequest.newBuilder()
                                .setQuestionId(Resilience.QUESTIONS.get(slot % 4)).setSelectedIndex(slot % 2)
                                .setAttemptId(attempt).build();
                        while (true) {
                            if (System.nanoTime() > giveUp) {
                                throw new AssertionError("attempt " + attempt + " never acknowledged");
                            }
                            tried.incrementAndGet();
                            long sent = System.nanoTime();
                            try {
                                SubmitAnswerResponse response = Resilience.stub(
                                        QuizServiceGrpc.newBlockingStub(quizChannel), player).submitAnswer(request);
                                if (killedAt.get() == 0) {
                                    ackedBeforeKill.put(attempt, player.id());
                                } else if (sent > killedAt.get()) {
                                    // the first answer to a request sent after the crash
                                    firstAckAfterRestart.compareAndSet(0, System.nanoTime());
                                }
                                if (response.getReplayed()) {
                                    replayed.incrementAndGet();
                                }
                                acked.put(attempt, player.id());
                                requests.put(attempt, request);
                                responses.put(attempt, response);
                                xpOf.merge(player.id(), response.getXpEarned(), Integer::sum);
                                correctOf.merge(player.id(), response.getCorrect() ? 1 : 0, Integer::sum);
                                break;
                            } catch (StatusRuntimeException e) {
                                failed.incrementAndGet();
                                switch (e.getStatus().getCode()) {
                                    case UNAVAILABLE, DEADLINE_EXCEEDED, UNKNOWN, INTERNAL -> unavailable.incrementAndGet();
                                    default -> otherFailures.add(e.getStatus().toString());
                                }
                                Thread.sleep(200);
                            }
                        }
                    }
                }
                return null;
            }));
        }

        Resilience.await("40 acknowledged answers", Duration.ofSeconds(60), () -> acked.size() >= 40);
        killedAt.set(System.nanoTime());
        Duration killTook = quiz.kill();
        int ackedAtKill = ackedBeforeKill.size();
        long restartBegan = System.nanoTime();
        quiz = Resilience.restart("quiz-service", database, quizEnv, quiz.port(), RESTART_READY);
        long restartedAt = System.nanoTime();
        quizChannel.resetConnectBackoff();
        for (Future<?> client : running) {
            client.get(4, TimeUnit.MINUTES);
        }
        clients.shutdown();
        int total = playerCount * Resilience.ANSWERS_PER_PLAYER;
        System.out.printf("CrashRecoveryIT quiz: %d answers, %d requests tried, %d failed (%d UNAVAILABLE/DEADLINE),"
                        + " %d acknowledged before the SIGKILL (took %d ms), %d replayed on retry; restart ready in %s,"
                        + " first answer acknowledged %s after the kill; %d acknowledged answers sent again%n", total, tried.get(), failed.get(),
                unavailable.get(), ackedAtKill, killTook.toMillis(), replayed.get(),
                Resilience.seconds(restartedAt - restartBegan), Resilience.seconds(firstAckAfterRestart.get() - killedAt.get()), 16);
        assertEquals(List.of(), otherFailures, "only the crash made answers fail");
        assertEquals(total, acked.size());

        // a client whose answer was lost in the crash sends it again: answered as first, nothing counted twice
        Map<String, Account> byId = players.stream().collect(Collectors.toMap(Account::id, p -> p));
        List<String> resent = ackedBeforeKill.keySet().stream().sorted().limit(16).toList();
        for (String attempt : resent) {
            SubmitAnswerResponse again = Resilience.stub(QuizServiceGrpc.newBlockingStub(quizChannel),
                    byId.get(acked.get(attempt))).submitAnswer(requests.get(attempt));
            assertTrue(again.getReplayed(), "a repeated attempt is a replay: " + again);
            assertEquals(responses.get(attempt).toBuilder().setReplayed(true).build(), again);
        }

        // quiz's rows: every acknowledged attempt, once; nothing else
        Map<String, Integer> rows = answerRows(ids);
        assertEquals(acked.keySet(), rows.keySet(), "user_answers holds exactly the acknowledged attempts");
        assertEquals(Set.of(1), new HashSet<>(rows.values()), "each attempt once");
        assertTrue(ackedBeforeKill.keySet().stream().allMatch(rows::containsKey));

        // quiz.answered: one event per answer, re-sent (after the crash) only under its event id
        List<KafkaTopics.Record> records = KafkaTopics.readUntil("quiz.answered", Duration.ofSeconds(60),
                r -> attempts(r, ids).keySet().containsAll(acked.keySet()));
        Map<String, Set<String>> eventIdsOf = attempts(records, ids);
        int ourRecords = eventIdsOf.values().stream().mapToInt(Set::size).sum();
        long recordCount = records.stream().filter(r -> ids.contains(r.key())).count();
        System.out.printf("CrashRecoveryIT quiz: quiz.answered records %d, distinct event ids %d, distinct attempts %d,"
                + " acknowledged answers %d%n", recordCount, ourRecords, eventIdsOf.size(), acked.size());
        assertEquals(acked.keySet(), eventIdsOf.keySet(), "a quiz.answered for every answer");
        assertEquals(Map.of(), eventIdsOf.entrySet().stream().filter(e -> e.getValue().size() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "one event id per answer");

        // and the dashboard applied each once: its totals are quiz's, its XP what the answers earned
        long recovering = System.nanoTime();
        for (Account player : players) {
            // the answers' XP, and the dashboard's daily quest reward for three right answers (xp.granted), each once
            long expectedXp = xpOf.get(player.id()) + (correctOf.get(player.id()) >= 3 ? QUIZ_QUEST_XP : 0);
            var quizProfile = Resilience.await("quiz's XP of " + player.id(), RECOVERY,
                    () -> Resilience.stub(QuizServiceGrpc.newBlockingStub(quizChannel), player)
                            .getUserProfile(GetUserProfileRequest.getDefaultInstance()),
                    p -> p.getTotalExp() >= expectedXp);
            assertEquals(expectedXp, quizProfile.getTotalExp(), "quiz credited each answer and reward once");
            Dashboard view = Resilience.await("the dashboard of " + player.id(), RECOVERY,
                    () -> Resilience.stub(DashboardServiceGrpc.newBlockingStub(dashboardChannel), player)
                            .getDashboard(GetDashboardRequest.getDefaultInstance()),
                    d -> d.getQuiz().getTotalAnswered() >= Resilience.ANSWERS_PER_PLAYER
                            && d.getProgress().getTotalExp() >= quizProfile.getTotalExp());
            assertEquals(Resilience.ANSWERS_PER_PLAYER, view.getQuiz().getTotalAnswered());
            assertEquals(quizProfile.getTotalExp(), view.getProgress().getTotalExp());
        }
        System.out.printf("CrashRecoveryIT quiz: dashboards equal quiz's totals %s after the answers ended%n",
                Resilience.seconds(System.nanoTime() - recovering));
    }

    @Test
    void aVideoWorkerKilledMidAnalysisIsTakenAgainAndBoundedByItsAttempts() throws Exception {
        Account player = Resilience.signUp(auth, "영상충돌탐정");
        byte[] clip = Resilience.faceClip("face-720p", 10, 1280, 720);

        // one crash: the task is taken again and completes
        String once = Resilience.upload(video, player, clip, "crash-once.mp4");
        String stageAtKill = awaitRunning(once, 1);
        long killed = System.nanoTime();
        video.kill();
        restartVideo();
        long restarted = System.nanoTime();
        Task done = awaitFinished(once);
        long completed = System.nanoTime();
        System.out.printf("CrashRecoveryIT video: killed in %s of run 1; restart ready %s after the kill; %s %s after"
                        + " the kill, %d runs%n", stageAtKill, Resilience.seconds(restarted - killed), done.stage,
                Resilience.seconds(completed - killed), done.attempts);
        assertEquals("COMPLETED", done.stage, done.toString());
        assertEquals(2, done.attempts, "the interrupted run and the one that completed");
        AnalysisStatus status = Resilience.stub(VideoAnalysisServiceGrpc.newBlockingStub(videoChannel), player)
                .getAnalysisStatus(GetAnalysisStatusRequest.newBuilder().setTaskId(once).build());
        assertEquals("COMPLETED", status.getStage(), status.toString());

        // every run dies: FAILED after max-attempts runs, with the reason, not taken forever
        String doomed = Resilience.upload(video, player, clip, "crash-always.mp4");
        long firstKill = 0;
        for (int run = 1; run <= MAX_ATTEMPTS; run++) {
            String stage = awaitRunning(doomed, run);
            if (run == 1) {
                firstKill = System.nanoTime();
            }
            System.out.printf("CrashRecoveryIT video: run %d of the doomed task killed in %s%n", run, stage);
            video.kill();
            restartVideo();
        }
        Task failed = awaitFinished(doomed);
        System.out.printf("CrashRecoveryIT video: doomed task %s %s after its first kill: %s%n", failed.stage,
                Resilience.seconds(System.nanoTime() - firstKill), failed.failureReason);
        assertEquals("FAILED", failed.stage, failed.toString());
        assertEquals(MAX_ATTEMPTS, failed.attempts, failed.toString());
        assertTrue(failed.failureReason.contains("gave up after " + MAX_ATTEMPTS), failed.failureReason);
        status = Resilience.stub(VideoAnalysisServiceGrpc.newBlockingStub(videoChannel), player)
                .getAnalysisStatus(GetAnalysisStatusRequest.newBuilder().setTaskId(doomed).build());
        assertEquals("FAILED", status.getStage(), status.toString());

        // each task's outcome went out as analysis.completed, and the dashboard shows one completed, one failed
        List<KafkaTopics.Record> outcomes = KafkaTopics.readUntil("analysis.completed", Duration.ofSeconds(60),
                r -> outcomesOf(r, Set.of(once, doomed)).size() == 2);
        Map<String, JsonObject> byTask = outcomesOf(outcomes, Set.of(once, doomed));
        assertEquals("COMPLETED", byTask.get(once).getString("status"));
        assertEquals("FAILED", byTask.get(doomed).getString("status"));
        assertEquals(failed.failureReason, byTask.get(doomed).getString("failureReason"));
        Dashboard view = Resilience.await("the dashboard's analyses", RECOVERY,
                () -> Resilience.stub(DashboardServiceGrpc.newBlockingStub(dashboardChannel), player)
                        .getDashboard(GetDashboardRequest.getDefaultInstance()),
                d -> d.getAnalysis().getFailedCount() == 1 && d.getAnalysis().getTotalAnalyses() == 2
                        && d.getAnalysis().getRealCount() + d.getAnalysis().getFakeCount()
                        + d.getAnalysis().getInconclusiveCount() == 1);
        assertEquals(2, view.getAnalysis().getTotalAnalyses());
    }

    private static void restartVideo() throws Exception {
        video = Resilience.restart("video-analysis-service", database, videoEnv, video.port(), RESTART_READY);
        videoChannel.resetConnectBackoff();
    }

    private record Task(String stage, int attempts, String failureReason) {
    }

    private static Task task(String id) {
        try (Connection db = database.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT stage, attempts, failure_reason FROM video_analysis.analysis_tasks WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new Task(row.getString(1), row.getInt(2), row.getString(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until run {@code run} of the task is under way (a pipeline stage, that many attempts); its stage. */
    private static String awaitRunning(String taskId, int run) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        Task last = task(taskId);
        while (last == null || !RUNNING.contains(last.stage) || last.attempts != run) {
            if (System.nanoTime() > deadline || (last != null && (last.attempts > run
                    || "COMPLETED".equals(last.stage) || "FAILED".equals(last.stage)))) {
                throw new AssertionError("run " + run + " of " + taskId + " not caught running: " + last);
            }
            Thread.sleep(20);
            last = task(taskId);
        }
        return last.stage;
    }

    private static Task awaitFinished(String taskId) throws InterruptedException {
        return Resilience.await("task " + taskId + " to finish", RECOVERY, () -> task(taskId),
                t -> t.stage.equals("COMPLETED") || t.stage.equals("FAILED"));
    }

    /** attempt id → the event ids carrying it, among the quiz.answered records of {@code users}. */
    private static Map<String, Set<String>> attempts(List<KafkaTopics.Record> records, Set<String> users) {
        Map<String, Set<String>> out = new HashMap<>();
        for (KafkaTopics.Record r : records) {
            JsonObject data = CloudEvents.data(r.value());
            if (users.contains(data.getString("userId", ""))) {
                out.computeIfAbsent(data.getString("attemptId"), k -> new HashSet<>())
                        .add(CloudEvents.parse(r.value()).getString("id"));
            }
        }
        return out;
    }

    private static Map<String, JsonObject> outcomesOf(List<KafkaTopics.Record> records, Set<String> tasks) {
        Map<String, JsonObject> out = new HashMap<>();
        for (KafkaTopics.Record r : records) {
            JsonObject data = CloudEvents.data(r.value());
            if (tasks.contains(data.getString("taskId", ""))) {
                out.put(data.getString("taskId"), data);
            }
        }
        return out;
    }

    private static Map<String, Integer> answerRows(Set<String> users) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection db = database.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT attempt_id, count(*) FROM quiz.user_answers WHERE user_id = ANY (?) GROUP BY attempt_id")) {
            query.setArray(1, db.createArrayOf("varchar", users.toArray()));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getString(1), row.getInt(2));
                }
            }
        }
        return rows;
    }
}

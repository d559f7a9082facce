package io.pawfiler.systemtests;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two quiz-service JVMs on one database, answers going to both: one publishes the outbox (the holder of its advisory
 * lock), so no event is sent twice and none overtakes another of the same player; when that instance is killed
 * (SIGKILL) the other takes over, and every acknowledged answer's event still goes out.
 */
class TwoQuizInstancesIT {

    private static final String LEADER_LINE = "now publishes the quiz outbox";
    private static final int PLAYERS = 20;

    private static ServiceProcess auth;
    private static final ServiceProcess[] quiz = new ServiceProcess[2];
    private static final ManagedChannel[] channels = new ManagedChannel[2];

    @BeforeAll
    static void startServices() throws Exception {
        TestPostgres.Database database = TestPostgres.createDatabase("twoquiz");
        auth = Services.start("auth-service", database, Resilience.authEnv());
        Map<String, String> env = Map.of("PAWFILER_AUTH_JWKS_URL", auth.baseUrl() + "/.well-known/jwks.json",
                // -Dpawfiler.it.single-publisher=false shows what the lock prevents (every relay publishes)
                "PAWFILER_OUTBOX_SINGLE_PUBLISHER", System.getProperty("pawfiler.it.single-publisher", "true"));
        // one after the other: two JVMs migrating one schema at once would only wait on Liquibase's lock
        for (int i = 0; i < 2; i++) {
            quiz[i] = Services.launch("quiz-service", "quiz-service-" + (char) ('a' + i), database, env,
                    Services.freePort());
            quiz[i].awaitReady(Duration.ofSeconds(90));
            channels[i] = GrpcClients.plaintext(quiz[i].port());
        }
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            GrpcClients.close(channel);
        }
        Services.stopAll(quiz[0], quiz[1], auth);
    }

    @Test
    void oneInstancePublishesAndTheOtherTakesOverWhenItDies() throws Exception {
        List<String> tokens = new ArrayList<>();
        Set<String> players = new HashSet<>();
        for (int i = 0; i < PLAYERS; i++) {
            Resilience.Reply reply = Resilience.trySignUp(auth, "쌍둥이" + i);
            assertEquals(201, reply.status(), reply.body());
            tokens.add(Resilience.account(reply).token());
            players.add(Resilience.account(reply).id());
        }
        int leader = awaitLeader();
        int standby = 1 - leader;

        // both instances take answers; their events must go out once each, in order per player
        Set<String> ackedBoth = answer(tokens, new int[] {0, 1}, 200);
        List<KafkaTopics.Record> answered = awaitEvents(ackedBoth);
        Map<String, Integer> duplicates = duplicates(answered);
        System.out.printf("TwoQuizInstancesIT: instance %d publishes; %d answers acknowledged through both instances, "
                + "%d quiz.answered records, %d duplicated event ids%n", leader, ackedBoth.size(), answered.size(),
                duplicates.size());
        assertEquals(Map.of(), duplicates, "events published twice while both instances ran");

        // the publisher dies mid-traffic; the standby takes the lock and publishes what is left and what comes
        ExecutorService background = Executors.newSingleThreadExecutor();
        var moreAnswers = background.submit(() -> answer(tokens, new int[] {standby}, 150));
        Thread.sleep(2_000);
        long killed = System.nanoTime();
        quiz[leader].process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long tookOver = awaitLine(standby, Duration.ofSeconds(30)) - killed; // while the answers go on
        Set<String> ackedAfter = moreAnswers.get(120, TimeUnit.SECONDS);
        background.shutdown();
        Set<String> acked = new HashSet<>(ackedBoth);
        acked.addAll(ackedAfter);
        List<KafkaTopics.Record> all = awaitEvents(acked);
        System.out.printf("  killed instance %d; instance %d took over after %d ms; %d answers acknowledged in all, "
                        + "%d records, %d event ids sent twice (at-least-once around the kill; consumers deduplicate)%n",
                leader, standby, tookOver / 1_000_000, acked.size(), all.size(), duplicates(all).size());
        assertTrue(tookOver < Duration.ofSeconds(5).toNanos(), "the standby took over");
        assertInOrderPerPlayer(KafkaTopics.readUntil("xp.earned", Duration.ofSeconds(5), r -> false).stream()
                .filter(r -> players.contains(r.key())).toList());
    }

    /** Answers from every player through the given instances, round robin; the attempt ids acknowledged. */
    private static Set<String> answer(List<String> tokens, int[] instances, int count) throws InterruptedException {
        Set<String> acked = Collections.synchronizedSet(new HashSet<>());
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; n < count; n++) {
                int call = n;
                callers.submit(() -> {
                    String attempt = UUID.randomUUID().toString();
                    try {
                        QuizServiceGrpc.newBlockingStub(channels[instances[call % instances.length]])
                                .withInterceptors(GrpcClients.bearer(tokens.get(call % tokens.size())))
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .submitAnswer(SubmitAnswerRequest.newBuilder().setAttemptId(attempt)
                                        .setQuestionId(String.format("00000000-0000-4000-8000-%012d", 1 + call % 6))
                                        .setSelectedIndex(call % 2).build());
                        acked.add(attempt);
                    } catch (StatusRuntimeException e) {
                        // not acknowledged: the instance was killed under it (nothing to check for it)
                    }
                });
                Thread.sleep(1000 / 15); // 15 answers/s
            }
        }
        return acked;
    }

    /** Reads quiz.answered until every acknowledged attempt has its event. */
    private static List<KafkaTopics.Record> awaitEvents(Set<String> acked) {
        List<KafkaTopics.Record> records = KafkaTopics.readUntil("quiz.answered", Duration.ofSeconds(60),
                r -> r.stream().map(TwoQuizInstancesIT::attemptOf).collect(java.util.stream.Collectors.toSet())
                        .containsAll(acked));
        // the topic also holds other test classes' events: keep this test's own
        List<KafkaTopics.Record> ours = records.stream().filter(r -> acked.contains(attemptOf(r))).toList();
        Set<String> missing = new HashSet<>(acked);
        ours.forEach(r -> missing.remove(attemptOf(r)));
        assertEquals(Set.of(), missing, "acknowledged answers without a quiz.answered event");
        return ours;
    }

    private static String attemptOf(KafkaTopics.Record record) {
        return CloudEvents.data(record.value()).getString("attemptId", "");
    }

    private static Map<String, Integer> duplicates(List<KafkaTopics.Record> records) {
        Map<String, Integer> count = new HashMap<>();
        records.forEach(r -> count.merge(CloudEvents.parse(r.value()).getString("id"), 1, Integer::sum));
        count.values().removeIf(n -> n == 1);
        return count;
    }

    /** Per player (record key), in partition order, XP totals only grow: no event overtook an earlier one. */
    private static void assertInOrderPerPlayer(List<KafkaTopics.Record> xpEarned) {
        Map<String, Long> lastTotal = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int checked = 0;
        for (KafkaTopics.Record record : xpEarned) {
            JsonObject event = CloudEvents.parse(record.value());
            if (!seen.add(event.getString("id"))) {
                continue; // the same event again (at-least-once): not a reordering
            }
            long total = Long.parseLong(event.getJsonObject("data").get("totalXp").toString().replace("\"", ""));
            Long before = lastTotal.put(record.key(), total);
            assertTrue(before == null || total > before, "xp.earned for " + record.key() + " went from " + before
                    + " to " + total + " (out of order)");
            checked++;
        }
        assertTrue(checked > 50, "xp.earned events checked: " + checked);
    }

    private static int awaitLeader() throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("pawfiler.it.single-publisher", "true"))) {
            return 0; // every instance publishes: nobody to wait for
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean first = logHas(0);
            boolean second = logHas(1);
            assertTrue(!(first && second), "both instances claim the outbox");
            if (first || second) {
                return first ? 0 : 1;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no instance publishes the outbox");
    }

    private static long awaitLine(int instance, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logHas(instance)) {
            assertTrue(System.nanoTime() < deadline, "instance " + instance + " never took the outbox over");
            Thread.sleep(20);
        }
        return System.nanoTime();
    }

    private static boolean logHas(int instance) throws Exception {
        return Files.readString(quiz[instance].logFile()).contains(LEADER_LINE);
    }
}

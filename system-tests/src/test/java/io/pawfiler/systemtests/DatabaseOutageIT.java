package io.pawfiler.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.json.Json;
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
 * PostgreSQL stops for 20 s while players sign up (auth, REST) and answer (quiz, gRPC), then comes back.
 * While it is gone: readiness says DOWN within a few seconds, every call is refused at once (503 with Retry-After,
 * UNAVAILABLE with RetryInfo; never a 5xx of another kind, never INTERNAL, never a 30 s wait), and an event that
 * arrives meanwhile waits for the database instead of landing in the dead-letter topic. After it: both services
 * serve again by themselves, and nothing is half-written (what was acknowledged is there, what was refused is not).
 */
class DatabaseOutageIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("pawfiler.test.db-outage-seconds", 20));
    private static final int PLAYERS = 40;
    // an answer every 100 ms, a sign-up (Argon2id: the costly one) every 500 ms: 10/s and 2/s
    private static final long RATE_PERIOD_MS = 100;

    private static TestPostgres.Database database;
    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ManagedChannel channel;

    /** One call made during the run. */
    record Call(String kind, long startedNanos, long tookNanos, int code, boolean retryHint, String detail,
                String key) {
        boolean ok() {
            return code == 0 || code / 100 == 2;
        }

        boolean refusedAsUnavailable() {
            return (kind.equals("signup") && code == 503 || kind.equals("answer") && code == Status.Code.UNAVAILABLE.value()
                    + 1000) && retryHint;
        }
    }

    @BeforeAll
    static void startServices() throws Exception {
        database = TestPostgres.createDatabase("dboutage");
        auth = Services.start("auth-service", database, Resilience.authEnv());
        quiz = Services.start("quiz-service", database, Map.of(
                "PAWFILER_AUTH_JWKS_URL", auth.baseUrl() + "/.well-known/jwks.json"));
        channel = GrpcClients.plaintext(quiz.port());
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        TestPostgres.startServer(); // whatever happened, later test classes get their database back
        GrpcClients.close(channel);
        Services.stopAll(quiz, auth);
    }

    @Test
    void anOutageIsRefusedFastAndLeavesNothingHalfWritten() throws Exception {
        List<Resilience.Account> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add(signUp("장애집사" + i));
        }
        awaitProfiles(players.stream().map(Resilience.Account::id).toList(), Duration.ofSeconds(60));

        int deadLettersBefore = deadLetters(); // other test classes share the broker
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        List<long[]> readiness = Collections.synchronizedList(new ArrayList<>()); // {nanos, auth up, quiz up}
        AtomicInteger tick = new AtomicInteger();
        long began = System.nanoTime();
        var traffic = Executors.newSingleThreadScheduledExecutor();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        traffic.scheduleAtFixedRate(() -> {
            int n = tick.getAndIncrement();
            if (n % 5 == 0) {
                callers.submit(() -> calls.add(timedSignUp(n)));
            }
            Resilience.Account player = players.get(n % PLAYERS);
            callers.submit(() -> calls.add(timedAnswer(player, n)));
        }, 0, RATE_PERIOD_MS, TimeUnit.MILLISECONDS);
        var probes = Executors.newSingleThreadScheduledExecutor(); // a slow probe must not hold the traffic back
        probes.scheduleAtFixedRate(() -> readiness.add(new long[] {System.nanoTime(),
                ready(auth) ? 1 : 0, ready(quiz) ? 1 : 0}), 0, 100, TimeUnit.MILLISECONDS);

        Thread.sleep(5_000);
        long stopped = System.nanoTime();
        TestPostgres.stopServer();
        long stopTook = System.nanoTime() - stopped;
        Thread.sleep(OUTAGE.toMillis() / 2);
        // an event arriving while the database is gone must wait for it, not be dead-lettered
        String lateUser = "late-" + UUID.randomUUID();
        KafkaTopics.send("user.registered", lateUser, userRegistered(lateUser));
        Thread.sleep(OUTAGE.toMillis() - OUTAGE.toMillis() / 2);
        long restarted = System.nanoTime();
        TestPostgres.startServer();
        Thread.sleep(15_000);
        traffic.shutdownNow();
        probes.shutdownNow();
        callers.shutdown();
        assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS), "calls still running 30 s after the traffic ended");

        long authDown = firstAfter(readiness, stopped, 1, false);
        long quizDown = firstAfter(readiness, stopped, 2, false);
        long authUp = firstAfter(readiness, restarted, 1, true);
        long quizUp = firstAfter(readiness, restarted, 2, true);
        List<Call> all = List.copyOf(calls);
        List<Call> duringOutage = all.stream()
                .filter(c -> c.startedNanos > Math.max(authDown, quizDown) && c.startedNanos < restarted).toList();
        List<Call> afterRecovery = all.stream()
                .filter(c -> c.startedNanos > Math.max(authUp, quizUp) + 1_000_000_000L).toList();
        List<Call> badFailures = all.stream().filter(c -> !c.ok() && !c.refusedAsUnavailable()).toList();
        long[] refusedMs = duringOutage.stream().mapToLong(c -> c.tookNanos / 1_000_000).sorted().toArray();

        System.out.printf("DatabaseOutageIT: %d calls (%d sign-ups, %d answers) over %d s; outage %d s (stop took %d ms)%n",
                all.size(), all.stream().filter(c -> c.kind.equals("signup")).count(),
                all.stream().filter(c -> c.kind.equals("answer")).count(), (System.nanoTime() - began) / 1_000_000_000L,
                OUTAGE.toSeconds(), stopTook / 1_000_000);
        System.out.printf("  readiness DOWN after stop: auth %d ms, quiz %d ms; UP after start: auth %d ms, quiz %d ms%n",
                (authDown - stopped) / 1_000_000, (quizDown - stopped) / 1_000_000,
                (authUp - restarted) / 1_000_000, (quizUp - restarted) / 1_000_000);
        System.out.printf("  during the outage: %d calls, %d refused as unavailable with a retry hint, latency p50 %d ms, "
                        + "p95 %d ms, max %d ms; after recovery: %d calls, %d ok; other failures: %d %s%n",
                duringOutage.size(), duringOutage.stream().filter(Call::refusedAsUnavailable).count(),
                percentile(refusedMs, 50), percentile(refusedMs, 95), percentile(refusedMs, 100),
                afterRecovery.size(), afterRecovery.stream().filter(Call::ok).count(), badFailures.size(),
                badFailures.stream().limit(5).toList());

        assertTrue(authDown - stopped < Duration.ofSeconds(3).toNanos(), "auth readiness went DOWN too late");
        assertTrue(quizDown - stopped < Duration.ofSeconds(3).toNanos(), "quiz readiness went DOWN too late");
        assertTrue(authUp - restarted < Duration.ofSeconds(15).toNanos(), "auth did not recover by itself");
        assertTrue(quizUp - restarted < Duration.ofSeconds(15).toNanos(), "quiz did not recover by itself");
        assertEquals(List.of(), badFailures, "every failure is a 503 / UNAVAILABLE with a retry hint");
        assertTrue(duringOutage.size() > 120, "traffic ran during the outage");
        assertTrue(duringOutage.stream().allMatch(Call::refusedAsUnavailable), "refused while the database is gone");
        assertTrue(percentile(refusedMs, 95) < 200, "refusals are fast: p95 " + percentile(refusedMs, 95) + " ms");
        assertTrue(afterRecovery.size() > 30 && afterRecovery.stream().allMatch(Call::ok),
                "after recovery every call succeeds: " + afterRecovery.stream().filter(c -> !c.ok()).limit(5).toList());

        assertNothingHalfWritten(all, lateUser);
        assertEquals(deadLettersBefore, deadLetters(), "nothing was dead-lettered because the database was away");
    }

    private static void assertNothingHalfWritten(List<Call> calls, String lateUser) throws Exception {
        try (Connection db = database.connect()) {
            int signUps = 0;
            for (Call call : calls.stream().filter(c -> c.kind.equals("signup")).toList()) {
                boolean stored = exists(db, "SELECT 1 FROM auth.users WHERE email = ?", call.key);
                assertEquals(call.ok(), stored, "sign-up " + call + " stored iff acknowledged");
                signUps += call.ok() ? 1 : 0;
            }
            int answers = 0;
            for (Call call : calls.stream().filter(c -> c.kind.equals("answer")).toList()) {
                boolean stored = exists(db, "SELECT 1 FROM quiz.user_answers WHERE attempt_id = ?", call.key);
                assertEquals(call.ok(), stored, "answer " + call + " stored iff acknowledged");
                answers += call.ok() ? 1 : 0;
            }
            // the counters an answer moves agree with the answers stored, player by player
            assertEquals(0, count(db, "SELECT count(*) FROM quiz.user_profiles p WHERE p.total_answered <> "
                    + "(SELECT count(*) FROM quiz.user_answers a WHERE a.user_id = p.user_id)"), "counters match answers");
            // every acknowledged sign-up became a quiz profile (user.registered went out and was applied)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long missing;
            do {
                missing = count(db, "SELECT count(*) FROM auth.users u WHERE NOT EXISTS "
                        + "(SELECT 1 FROM quiz.user_profiles p WHERE p.user_id = u.id)");
                if (missing > 0) {
                    Thread.sleep(200);
                }
            } while (missing > 0 && System.nanoTime() < deadline);
            assertEquals(0, missing, "sign-ups without a quiz profile");
            while (!exists(db, "SELECT 1 FROM quiz.user_profiles WHERE user_id = ?", lateUser)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(exists(db, "SELECT 1 FROM quiz.user_profiles WHERE user_id = ?", lateUser),
                    "the event that arrived during the outage was applied after it");
            System.out.printf("  stored: %d acknowledged sign-ups, %d acknowledged answers; none of the refused%n",
                    signUps, answers);
        }
    }

    private static Call timedSignUp(int n) {
        String email = "during." + n + "." + UUID.randomUUID().toString().substring(0, 6) + "@pawfiler.test";
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(signUpRequest(email, Duration.ofSeconds(20)),
                    HttpResponse.BodyHandlers.ofString());
            return new Call("signup", started, System.nanoTime() - started, response.statusCode(),
                    response.headers().firstValue("Retry-After").isPresent(), abbreviated(response.body()), email);
        } catch (Exception e) {
            return new Call("signup", started, System.nanoTime() - started, -1, false, e.toString(), email);
        }
    }

    private static Call timedAnswer(Resilience.Account player, int n) {
        String attempt = UUID.randomUUID().toString();
        long started = System.nanoTime();
        try {
            QuizServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcClients.bearer(player.token()))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .submitAnswer(SubmitAnswerRequest.newBuilder().setAttemptId(attempt)
                            // the seed's multiple-choice questions are 1-6 (db/quiz/002-seed-questions.sql)
                            .setQuestionId(String.format("00000000-0000-4000-8000-%012d", 1 + n % 6))
                            .setSelectedIndex(n % 2).build());
            return new Call("answer", started, System.nanoTime() - started, 0, false, "OK", attempt);
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            boolean retryHint = details != null && details.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class));
            // gRPC codes are offset by 1000 so that they never read as HTTP statuses (0 stays OK)
            return new Call("answer", started, System.nanoTime() - started, 1000 + e.getStatus().getCode().value(),
                    retryHint, e.getStatus().getCode() + " " + e.getStatus().getDescription(), attempt);
        }
    }

    /** A player signed up before the outage. */
    static Resilience.Account signUp(String nickname) {
        Resilience.Reply reply = Resilience.trySignUp(auth, nickname);
        assertEquals(201, reply.status(), reply.body());
        return Resilience.account(reply);
    }

    private static HttpRequest signUpRequest(String email, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(auth.baseUrl() + "/auth/signup"))
                .header("Content-Type", "application/json").timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("email", email)
                        .add("password", "password-123").add("nickname", "장애집사").add("avatar_emoji", "🐈")
                        .build().toString()))
                .build();
    }

    private static String userRegistered(String userId) {
        return Json.createObjectBuilder()
                .add("specversion", "1.0").add("id", UUID.randomUUID().toString()).add("source", "/auth-service")
                .add("type", "user.registered").add("time", Instant.now().toString()).add("subject", userId)
                .add("datacontenttype", "application/json")
                .add("data", Json.createObjectBuilder().add("userId", userId).add("nickname", "늦은집사")
                        .add("avatarEmoji", "🐢").add("registeredAt", Instant.now().toString()))
                .build().toString();
    }

    private static int deadLetters() {
        return KafkaTopics.readUntil("user.registered.dlq", Duration.ofSeconds(2), r -> false).size();
    }

    private static void awaitProfiles(List<String> userIds, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection db = database.connect()) {
            for (String user : userIds) {
                while (!exists(db, "SELECT 1 FROM quiz.user_profiles WHERE user_id = ?", user)) {
                    assertTrue(System.nanoTime() < deadline, "no quiz profile for " + user);
                    Thread.sleep(100);
                }
            }
        }
    }

    private static boolean ready(ServiceProcess service) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** When the sample at or after {@code from} first showed the service ({@code column}) in state {@code up}. */
    private static long firstAfter(List<long[]> samples, long from, int column, boolean up) {
        synchronized (samples) {
            return samples.stream().filter(s -> s[0] >= from && (s[column] == 1) == up)
                    .mapToLong(s -> s[0]).findFirst().orElse(Long.MAX_VALUE / 2);
        }
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static boolean exists(Connection db, String sql, String value) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}

package io.pawfiler.systemtests;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import io.pawfiler.api.quiz.GetQuestionByIdRequest;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.quiz.UserProfile;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.kafka.TestKafka;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * quiz-service's unchanged classes on Open Liberty ({@code services/quiz-service-liberty}'s server) beside
 * auth-service on Helidon, both on the test kit's PostgreSQL and Kafka: a sign-up at auth becomes a quiz profile
 * through user.registered, the player draws and answers over gRPC (h2c on Liberty's HTTP port), the answer goes out as
 * quiz.answered keyed by the player, and the admin REST and the gRPC token check trust auth's keys alone. Its own
 * stack: not the shared one, whose Helidon quiz-service would share the consumer group.
 */
class LibertyQuizIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String QUESTION = "00000000-0000-4000-8000-000000000001";
    private static final Duration LIBERTY_READY = Duration.ofSeconds(180);

    /** A failing test carries the tail of Liberty's messages.log (ServiceLogsOnFailure adds its console's warnings). */
    @RegisterExtension
    static final TestExecutionExceptionHandler MESSAGES_LOG = (context, failure) -> {
        throw LibertyServer.withMessagesTail(LibertyQuizIT.liberty, failure);
    };

    private static long classStarted;
    private static TestPostgres.Database database;
    private static ServiceProcess auth;
    private static LibertyServer liberty;
    private static ManagedChannel channel;

    @BeforeAll
    static void startServices() throws Exception {
        classStarted = System.nanoTime();
        database = TestPostgres.createDatabase("libertyquiz");
        auth = Services.start("auth-service", database, Resilience.authEnv());
        // alone on the machine, so its start time is Liberty's own
        liberty = LibertyServer.start("quiz-service-liberty", Services.freePort(), Map.of(
                "PAWFILER_DB_URL", database.jdbcUrl(),
                "PAWFILER_DB_USER", database.user(),
                "PAWFILER_DB_PASSWORD", database.password(),
                "PAWFILER_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers(),
                "PAWFILER_AUTH_JWKS_URL", auth.baseUrl() + "/.well-known/jwks.json",
                "PAWFILER_AUTH_ISSUER", AuthServiceProcess.ISSUER));
        try {
            liberty.awaitReady(LIBERTY_READY);
        } catch (RuntimeException | InterruptedException e) {
            liberty.close();
            throw e;
        }
        System.out.printf("LibertyQuizIT: Open Liberty quiz-service %s ready in %.1f s (process start to "
                + "/health/ready 200)%n", liberty.baseUrl(), liberty.readyTime().toMillis() / 1000.0);
        channel = GrpcClients.plaintext(liberty.port());
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        GrpcClients.close(channel);
        if (liberty != null) {
            liberty.close();
        }
        Services.stopAll(auth);
    }

    @Test
    void theQuizJourneyRunsOnLiberty() throws Exception {
        long journeyStarted = System.nanoTime();

        // 1. sign-up at auth (Helidon, REST)
        JsonObject signedUp = post(auth.baseUrl() + "/auth/signup", Json.createObjectBuilder()
                .add("email", "liberty." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", "리버티집사").add("avatar_emoji", "🦉").build());
        String token = signedUp.getString("token");
        String userId = signedUp.getJsonObject("user").getString("id");
        var game = QuizServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcClients.bearer(token),
                Resilience.eachCallDeadline(Duration.ofSeconds(30)));

        // 2. user.registered travels auth → Kafka → quiz on Liberty
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        UserProfile profile = game.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        while (!profile.hasNickname() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            profile = game.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        }
        long profileArrived = System.nanoTime();
        assertEquals(userId, profile.getUserId());
        assertEquals("리버티집사", profile.getNickname(), "user.registered consumed within 60 s: " + profile);
        assertEquals("🦉", profile.getAvatarEmoji());
        assertEquals(500, profile.getTotalCoins());

        // 3. a question drawn and an answer graded over gRPC
        QuizQuestion drawn = game.getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance());
        assertFalse(drawn.getId().isEmpty(), "a question was drawn: " + drawn);
        String attempt = UUID.randomUUID().toString();
        SubmitAnswerResponse answer = game.submitAnswer(SubmitAnswerRequest.newBuilder().setAttemptId(attempt)
                .setQuestionId(QUESTION).setSelectedIndex(0).build());
        assertTrue(answer.getCorrect(), answer.toString());
        assertEquals(10, answer.getTotalExp(), answer.toString());

        // 4. quiz.answered on Kafka, keyed by the player (the outbox keys by the event's subject)
        List<KafkaTopics.Record> records = KafkaTopics.readUntil("quiz.answered", Duration.ofSeconds(60),
                read -> read.stream().anyMatch(r -> isAnswer(r, attempt)));
        KafkaTopics.Record event = records.stream().filter(r -> isAnswer(r, attempt)).findFirst()
                .orElseThrow(() -> new AssertionError("no quiz.answered for attempt " + attempt + " within 60 s ("
                        + records.size() + " records read)"));
        JsonObject cloudEvent = CloudEvents.parse(event.value());
        JsonObject data = cloudEvent.getJsonObject("data");
        assertEquals(userId, event.key(), "record key: " + event);
        assertEquals("quiz.answered", cloudEvent.getString("type"), event.value());
        assertEquals(userId, cloudEvent.getString("subject"), event.value());
        assertEquals(userId, data.getString("userId"), event.value());
        assertEquals(QUESTION, data.getString("questionId"), event.value());
        assertTrue(data.getBoolean("correct", false), event.value());
        long eventSeen = System.nanoTime();

        // 5. the admin REST (MP JWT on Liberty) with auth's tokens
        assertEquals(401, adminGet("/admin/questions/x", null).statusCode(), "no token");
        HttpResponse<String> player = adminGet("/admin/questions/x", token);
        assertEquals(403, player.statusCode(), "a player is not an admin: " + player.body());
        String adminToken = admin();
        HttpResponse<String> unknown = adminGet("/admin/questions/x", adminToken);
        assertNotEquals(401, unknown.statusCode(), unknown.body());
        assertNotEquals(403, unknown.statusCode(), unknown.body());
        assertTrue(unknown.statusCode() < 500, "admin GET of an unknown question: " + unknown.statusCode() + " "
                + unknown.body());
        HttpResponse<String> known = adminGet("/admin/questions/" + QUESTION, adminToken);
        assertEquals(200, known.statusCode(), known.body());
        assertTrue(known.body().contains(QUESTION), known.body());

        // 6. nothing but auth's keys is trusted
        StatusRuntimeException foreign = assertThrows(StatusRuntimeException.class,
                () -> QuizServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcClients.bearer(TestTokens.shared()
                                .token(userId, Duration.ofMinutes(5), AuthServiceProcess.ISSUER, "user")))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getUserProfile(GetUserProfileRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, foreign.getStatus().getCode(), foreign.toString());

        // 6b. a service method's ApiException is the caller's status with the failing field, as on Helidon
        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class,
                () -> game.getQuestionById(GetQuestionByIdRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode(), invalid.toString());
        assertEquals("question_id: is required", invalid.getStatus().getDescription());

        // 7. health and the OpenAPI document
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> openapi = get("/openapi");
        assertEquals(200, openapi.statusCode(), openapi.body());
        assertTrue(openapi.body().contains("/admin/questions"), "OpenAPI document without /admin/questions:\n"
                + openapi.body());

        long end = System.nanoTime();
        System.out.printf("LibertyQuizIT: Liberty start %.1f s (process start to ready); journey %.1f s (profile after"
                        + " %.1f s, quiz.answered read after %.1f s; admin GET of an unknown question: %d); total"
                        + " %.1f s (own PostgreSQL database, auth on Helidon, Liberty start, journey)%n",
                liberty.readyTime().toMillis() / 1000.0, (end - journeyStarted) / 1e9,
                (profileArrived - journeyStarted) / 1e9, (eventSeen - journeyStarted) / 1e9, unknown.statusCode(),
                (end - classStarted) / 1e9);
    }

    private static boolean isAnswer(KafkaTopics.Record record, String attempt) {
        try {
            return attempt.equals(CloudEvents.data(record.value()).getString("attemptId", ""));
        } catch (RuntimeException notOurs) {
            return false; // another producer's record (not a CloudEvent with a data object)
        }
    }

    /**
     * An admin's token: an account made admin in auth's table ({@link Services#promoteToAdmin}), then signed in again
     * so the new token carries the admin group.
     */
    private static String admin() throws Exception {
        String email = "liberty.admin." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test";
        JsonObject signedUp = post(auth.baseUrl() + "/auth/signup", Json.createObjectBuilder().add("email", email)
                .add("password", "password-123").add("nickname", "리버티관리").add("avatar_emoji", "🦊").build());
        Services.promoteToAdmin(database, signedUp.getJsonObject("user").getString("id"));
        return post(auth.baseUrl() + "/auth/login", Json.createObjectBuilder().add("email", email)
                .add("password", "password-123").build()).getString("token");
    }

    private static HttpResponse<String> adminGet(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(liberty.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(liberty.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject post(String url, JsonObject body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, url + ": " + response.statusCode() + " " + response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}

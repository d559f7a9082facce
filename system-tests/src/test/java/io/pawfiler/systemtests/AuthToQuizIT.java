package io.pawfiler.systemtests;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.quiz.SubmitAnswerRequest;
import io.pawfiler.api.quiz.SubmitAnswerResponse;
import io.pawfiler.api.quiz.UserProfile;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth-service and quiz-service side by side, as {@code ./pawfiler up} runs them: a sign-up at auth becomes a quiz
 * profile through user.registered, and auth's access token is what quiz-service accepts (gRPC and MP JWT REST). On
 * the {@link EdgeStack#shared() shared stack}.
 */
@UsesSharedStack
@Order(3)
class AuthToQuizIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ManagedChannel channel;

    @BeforeAll
    static void connect() throws Exception {
        EdgeStack stack = EdgeStack.shared();
        auth = stack.service("auth-service");
        quiz = stack.service("quiz-service");
        channel = GrpcClients.plaintext(quiz.port());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void aSignUpAtAuthPlaysQuizWithAuthsToken() throws Exception {
        JsonObject signedUp = post(auth.baseUrl() + "/auth/signup", Json.createObjectBuilder()
                .add("email", "player." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", "퀴즈집사").add("avatar_emoji", "🦉").build(), null);
        String token = signedUp.getString("token");
        String userId = signedUp.getJsonObject("user").getString("id");
        var game = QuizServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS);

        // user.registered travels auth → Kafka → quiz
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        UserProfile profile = game.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        while (!profile.hasNickname() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            profile = game.getUserProfile(GetUserProfileRequest.getDefaultInstance());
        }
        assertEquals(userId, profile.getUserId());
        assertEquals("퀴즈집사", profile.getNickname());
        assertEquals("🦉", profile.getAvatarEmoji());
        assertEquals(500, profile.getTotalCoins());

        SubmitAnswerResponse answer = game.submitAnswer(SubmitAnswerRequest.newBuilder()
                .setQuestionId("00000000-0000-4000-8000-000000000001").setSelectedIndex(0).build());
        assertTrue(answer.getCorrect());
        assertEquals(10, answer.getTotalExp());

        // quiz's REST (MP JWT) knows auth's token too: a player is not an admin
        HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(URI.create(quiz.baseUrl() + "/admin/questions/x"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, admin.statusCode(), admin.body());

        // and nothing but auth's keys is trusted
        StatusRuntimeException foreign = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> QuizServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(TestTokens.shared()
                                .token(userId, Duration.ofMinutes(5), AuthServiceProcess.ISSUER, "user")))
                        .getUserProfile(GetUserProfileRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, foreign.getStatus().getCode());
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        return GrpcClients.bearer(token);
    }

    private static JsonObject post(String url, JsonObject body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}

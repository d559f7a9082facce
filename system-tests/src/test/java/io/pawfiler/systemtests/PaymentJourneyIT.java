package io.pawfiler.systemtests;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.api.payment.CheckoutRequest;
import io.pawfiler.api.payment.CheckoutResponse;
import io.pawfiler.api.payment.ConfirmPaymentRequest;
import io.pawfiler.api.payment.PaymentServiceGrpc;
import io.pawfiler.api.payment.RefundPaymentRequest;
import io.pawfiler.api.quiz.GetUserProfileRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.paymentsandbox.Payment;
import io.pawfiler.paymentsandbox.SandboxProvider;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.kafka.KafkaTopics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth-, quiz- and payment-service with the sandbox provider (Toss Payments' API): a paid yearly plan puts
 * {@code premium} into the access token after a refresh at auth and its 500 bonus coins into the quiz profile once
 * (even when payment.completed is delivered again); an admin's refund takes premium away again.
 */
@UsesSharedStack
@org.junit.jupiter.api.Order(4)
class PaymentJourneyIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ADMIN_EMAIL = EdgeStack.ADMIN_EMAIL;
    private static final String ADMIN_PASSWORD = EdgeStack.ADMIN_PASSWORD;

    private static SandboxProvider toss;
    private static ServiceProcess auth;
    private static ServiceProcess quiz;
    private static ServiceProcess payment;
    private static ManagedChannel quizChannel;
    private static ManagedChannel paymentChannel;

    @BeforeAll
    static void connect() throws Exception {
        EdgeStack stack = EdgeStack.shared();
        toss = stack.toss();
        auth = stack.service("auth-service");
        quiz = stack.service("quiz-service");
        payment = stack.service("payment-service");
        quizChannel = GrpcClients.plaintext(quiz.port());
        paymentChannel = GrpcClients.plaintext(payment.port());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcClients.close(quizChannel);
        GrpcClients.close(paymentChannel);
    }

    @Test
    void aYearlyPlanBringsPremiumAndBonusCoinsOnceAndARefundTakesPremiumBack() throws Exception {
        JsonObject signedUp = postJson(auth.baseUrl() + "/auth/signup", Json.createObjectBuilder()
                .add("email", "buyer." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", "구매자").build());
        String userId = signedUp.getJsonObject("user").getString("id");
        String refreshToken = signedUp.getString("refresh_token");
        String token = signedUp.getString("token");
        assertFalse(groups(token).contains("\"premium\""));
        var game = QuizServiceGrpc.newBlockingStub(quizChannel).withInterceptors(GrpcClients.bearer(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        await("the quiz profile", () -> game.getUserProfile(GetUserProfileRequest.getDefaultInstance()).hasNickname());
        int coinsBefore = game.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalCoins();

        var payments = PaymentServiceGrpc.newBlockingStub(paymentChannel).withInterceptors(GrpcClients.bearer(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        CheckoutResponse checkout = payments.createCheckout(CheckoutRequest.newBuilder().setPlanId("yearly")
                .setIdempotencyKey("journey-" + userId).build());
        Payment paid = toss.createPayment(checkout.getTransactionId(), "연간 프리미엄", 39000, userId);
        assertTrue(payments.confirmPayment(ConfirmPaymentRequest.newBuilder().setTransactionId(checkout.getTransactionId())
                .setProviderPaymentKey(paid.paymentKey()).setAmount(39000).build()).getSuccess());

        // payment.completed → auth: the next access token (after a refresh) carries premium
        String[] refreshed = new String[] {refreshToken, null};
        await("premium in a refreshed token", () -> {
            JsonObject tokens = postJson(auth.baseUrl() + "/auth/refresh",
                    Json.createObjectBuilder().add("refresh_token", refreshed[0]).build());
            refreshed[0] = tokens.getString("refresh_token");
            refreshed[1] = tokens.getString("token");
            return groups(refreshed[1]).contains("\"premium\"");
        });

        // → quiz: the yearly plan's 500 coins, once, even when the event arrives twice more
        await("bonus coins", () -> game.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalCoins()
                == coinsBefore + 500);
        KafkaTopics.Record completed = KafkaTopics.readUntil("payment.completed", Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> userId.equals(r.key()))).stream()
                .filter(r -> userId.equals(r.key())).findFirst().orElseThrow();
        KafkaTopics.send(completed.topic(), completed.key(), completed.value());
        KafkaTopics.send(completed.topic(), completed.key(), CloudEvents.republished(completed.value()));
        // a later, different payment (same partition) marks the redeliveries as consumed
        KafkaTopics.send(completed.topic(), completed.key(), CloudEvents.with(completed.value(), Map.of(
                "paymentId", Json.createValue("marker-" + UUID.randomUUID()), "bonusCoins", Json.createValue(1))));
        await("the marker payment", () -> game.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalCoins()
                >= coinsBefore + 501);
        assertEquals(coinsBefore + 501, game.getUserProfile(GetUserProfileRequest.getDefaultInstance()).getTotalCoins(),
                "the yearly bonus was credited once");

        // an admin refunds: premium.changed → auth drops premium from the next token
        JsonObject admin = postJson(auth.baseUrl() + "/auth/login", Json.createObjectBuilder()
                .add("email", ADMIN_EMAIL).add("password", ADMIN_PASSWORD).build());
        var adminPayments = PaymentServiceGrpc.newBlockingStub(paymentChannel)
                .withInterceptors(GrpcClients.bearer(admin.getString("token"))).withDeadlineAfter(60, TimeUnit.SECONDS);
        assertEquals(io.pawfiler.api.payment.PaymentStatus.REFUNDED, adminPayments.refundPayment(RefundPaymentRequest
                .newBuilder().setTransactionId(checkout.getTransactionId()).setReason("journey").build())
                .getTransaction().getStatus());
        await("premium gone from a refreshed token", () -> {
            JsonObject tokens = postJson(auth.baseUrl() + "/auth/refresh",
                    Json.createObjectBuilder().add("refresh_token", refreshed[0]).build());
            refreshed[0] = tokens.getString("refresh_token");
            return !groups(tokens.getString("token")).contains("\"premium\"");
        });
    }

    /** The access token's groups claim, as JSON text. */
    private static String groups(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        JsonObject claims = Json.createReader(new StringReader(payload)).readObject();
        return claims.containsKey("groups") ? claims.get("groups").toString() : "[]";
    }

    private static JsonObject postJson(String url, JsonObject body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() / 100 == 2, url + ": " + response.body());
            return Json.createReader(new StringReader(response.body())).readObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(300);
        }
    }
}

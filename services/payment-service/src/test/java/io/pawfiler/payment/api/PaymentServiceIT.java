package io.pawfiler.payment.api;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.api.payment.CancelSubscriptionRequest;
import io.pawfiler.api.payment.CheckoutRequest;
import io.pawfiler.api.payment.CheckoutResponse;
import io.pawfiler.api.payment.ConfirmPaymentRequest;
import io.pawfiler.api.payment.ConfirmPaymentResponse;
import io.pawfiler.api.payment.GetPlansRequest;
import io.pawfiler.api.payment.GetSubscriptionRequest;
import io.pawfiler.api.payment.ListTransactionsRequest;
import io.pawfiler.api.payment.ListTransactionsResponse;
import io.pawfiler.api.payment.PaymentServiceGrpc;
import io.pawfiler.api.payment.PaymentStatus;
import io.pawfiler.api.payment.PlansResponse;
import io.pawfiler.api.payment.RefundPaymentRequest;
import io.pawfiler.api.payment.Subscription;
import io.pawfiler.payment.domain.WebhookSignature;
import io.pawfiler.payment.service.PaymentJobs;
import io.pawfiler.paymentsandbox.Payment;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.testing.postgres.Sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * payment-service over real gRPC and HTTP with real PostgreSQL and Kafka, paying through the sandbox provider
 * (Toss Payments' API on loopback), so the real TossPayments adapter and webhook verification run end to end.
 */
@ExtendWith({RealInfrastructure.class, PaymentServiceSetup.class})
@HelidonTest
@AddConfig(key = "server.port", value = "${" + PaymentServiceSetup.PORT_PROPERTY + "}")
class PaymentServiceIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @Inject
    PaymentJobs jobs;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void plansComeFromTheServerAndTheServiceIsDiscoverable() {
        PlansResponse plans = payments(newUser()).getPlans(GetPlansRequest.getDefaultInstance());
        assertEquals(List.of("monthly", "yearly"), plans.getPlansList().stream().map(p -> p.getId()).toList());
        var monthly = plans.getPlans(0);
        assertEquals("월간 프리미엄", monthly.getName());
        assertEquals(4900, monthly.getAmount());
        assertEquals(4900.0, monthly.getPrice());
        assertEquals("KRW", monthly.getCurrency());
        assertEquals(30, monthly.getDurationDays());
        assertEquals(39000, plans.getPlans(1).getAmount());
        assertEquals(365, plans.getPlans(1).getDurationDays());
        assertFalse(plans.getPlans(1).getFeaturesList().isEmpty());
        assertTrue(target.path("/openapi").request().accept("application/yaml").get(String.class)
                .contains("/payments/webhooks/{provider}"));
        var listed = new java.util.concurrent.CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse>();
        var requests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel())
                .serverReflectionInfo(GrpcClients.completing(listed));
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(listed.orTimeout(30, TimeUnit.SECONDS).join().getListServicesResponse().getServiceList().stream()
                .anyMatch(service -> service.getName().equals("payment.PaymentService")), "reflection lists the service");
    }

    @Test
    void checkoutPayOnTheProvidersPageAndConfirmGrantsPremiumOnce() throws Exception {
        String user = newUser();
        var client = payments(user);
        CheckoutResponse checkout = client.createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly")
                .setIdempotencyKey("k-" + user).setReturnUrl("https://app.pawfiler.test/premium").build());
        assertEquals(PaymentStatus.PENDING, checkout.getStatus());
        assertEquals(4900, checkout.getAmount());
        assertFalse(checkout.getSuccess());

        // the buyer's browser: the provider's page, "pay", redirected back with paymentKey, orderId, amount
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(checkout.getCheckoutUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(checkout.getTransactionId()));
        Map<String, String> back = payOnPage(checkout.getCheckoutUrl());
        assertEquals(checkout.getTransactionId(), back.get("orderId"));
        assertEquals("4900", back.get("amount"));

        ConfirmPaymentResponse confirmed = client.confirmPayment(ConfirmPaymentRequest.newBuilder()
                .setTransactionId(back.get("orderId")).setProviderPaymentKey(back.get("paymentKey"))
                .setAmount(Long.parseLong(back.get("amount"))).build());
        assertTrue(confirmed.getSuccess());
        assertEquals(PaymentStatus.COMPLETED, confirmed.getStatus());
        assertEquals("ACTIVE", confirmed.getSubscription().getStatus());
        assertTrue(confirmed.getSubscription().getActive());
        Instant until = Instant.ofEpochSecond(confirmed.getPremiumUntil().getSeconds());
        assertTrue(Duration.between(Instant.now(), until).toDays() >= 29, until.toString());
        assertEquals(io.pawfiler.paymentsandbox.PaymentStatus.DONE,
                PaymentServiceSetup.sandbox.payment(back.get("paymentKey")).status());

        // confirming again (a client retry) answers the same and grants nothing more
        ConfirmPaymentResponse again = client.confirmPayment(ConfirmPaymentRequest.newBuilder()
                .setTransactionId(back.get("orderId")).setProviderPaymentKey(back.get("paymentKey")).setAmount(4900).build());
        assertEquals(PaymentStatus.COMPLETED, again.getStatus());
        assertEquals(confirmed.getPremiumUntil(), again.getPremiumUntil());
        // ... but only the same confirmation: another amount or payment key is refused, and changes nothing
        StatusRuntimeException otherAmount = assertThrows(StatusRuntimeException.class, () -> client.confirmPayment(
                ConfirmPaymentRequest.newBuilder().setTransactionId(back.get("orderId"))
                        .setProviderPaymentKey(back.get("paymentKey")).setAmount(1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, otherAmount.getStatus().getCode());
        assertTrue(otherAmount.getStatus().getDescription().contains("amount"), otherAmount.getMessage());
        StatusRuntimeException otherKey = assertThrows(StatusRuntimeException.class, () -> client.confirmPayment(
                ConfirmPaymentRequest.newBuilder().setTransactionId(back.get("orderId"))
                        .setProviderPaymentKey("tsbx-someone-else").setAmount(4900).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, otherKey.getStatus().getCode());
        assertEquals(PaymentStatus.COMPLETED, client.confirmPayment(ConfirmPaymentRequest.newBuilder()
                .setTransactionId(back.get("orderId")).setProviderPaymentKey(back.get("paymentKey")).setAmount(4900)
                .build()).getStatus());
        // the checkout retried with its key is the same transaction, now completed
        CheckoutResponse retried = client.createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly")
                .setIdempotencyKey("k-" + user).build());
        assertEquals(checkout.getTransactionId(), retried.getTransactionId());
        assertTrue(retried.getSuccess());
        assertEquals("premium", retried.getNewSubscriptionType());

        List<PaymentCompleted> completed = completedEvents(user, 1);
        assertEquals(1, completed.size(), "one payment.completed, whoever reported DONE (confirm, webhook)");
        assertEquals(checkout.getTransactionId(), completed.get(0).getPaymentId());
        assertEquals(confirmed.getPremiumUntil(), completed.get(0).getPremiumUntil());
        assertEquals(0, completed.get(0).getBonusCoins());
        assertEquals(1, Sql.number("SELECT count(*) FROM payment.transactions WHERE user_id = '" + user + "'"));
    }

    @Test
    void theWebhookAloneCompletesAPaymentAndADuplicateChangesNothing() throws Exception {
        String user = newUser();
        CheckoutResponse checkout = payments(user).createCheckout(CheckoutRequest.newBuilder().setPlanId("yearly").build());
        PaymentServiceSetup.sandbox.duplicateNextWebhooks(1);
        PaymentServiceSetup.sandbox.approveOrder(checkout.getTransactionId(), "연간 프리미엄", 39000);
        await("premium from the webhook", () -> payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance())
                .getActive());
        Subscription subscription = payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance());
        assertEquals("yearly", subscription.getPlanId());
        assertEquals("연간 프리미엄", subscription.getPlanName());
        awaitWebhooksDelivered();
        List<PaymentCompleted> completed = completedEvents(user, 1);
        assertEquals(1, completed.size(), "the duplicate delivery granted nothing");
        assertEquals(500, completed.get(0).getBonusCoins(), "the yearly plan's bonus coins travel with the event");
        assertEquals(2, PaymentServiceSetup.sandbox.webhookDeliveries().stream()
                .filter(d -> d.orderId().equals(checkout.getTransactionId()) && d.succeeded()).count(),
                "both copies were accepted (200)");
    }

    @Test
    void oneIdempotencyKeyIsOneTransactionEvenUnderConcurrency() throws Exception {
        String user = newUser();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<CheckoutResponse>> calls = java.util.stream.IntStream.range(0, 20)
                    .<Callable<CheckoutResponse>>mapToObj(i -> () -> payments(user).createCheckout(CheckoutRequest
                            .newBuilder().setPlanId("monthly").setIdempotencyKey("same-key").build())).toList();
            Set<String> ids = new HashSet<>();
            for (Future<CheckoutResponse> call : pool.invokeAll(calls)) {
                ids.add(call.get().getTransactionId());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Sql.number("SELECT count(*) FROM payment.transactions WHERE user_id = '" + user + "'"));
        StatusRuntimeException otherPlan = assertThrows(StatusRuntimeException.class, () -> payments(user).createCheckout(
                CheckoutRequest.newBuilder().setPlanId("yearly").setIdempotencyKey("same-key").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, otherPlan.getStatus().getCode());
        assertTrue(otherPlan.getStatus().getDescription().startsWith("idempotency_key"));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> payments(user)
                .createCheckout(CheckoutRequest.newBuilder().setPlanId("lifetime").build())).getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> payments(user)
                .createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").setUserId(newUser()).build()))
                .getStatus().getCode());
    }

    @Test
    void aWrongAmountIsRefusedAndThePaymentCancelledAtTheProvider() {
        String user = newUser();
        CheckoutResponse checkout = payments(user).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());
        Payment paid = PaymentServiceSetup.sandbox.createPayment(checkout.getTransactionId(), "월간 프리미엄", 4900, user);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> payments(user).confirmPayment(
                ConfirmPaymentRequest.newBuilder().setTransactionId(checkout.getTransactionId())
                        .setProviderPaymentKey(paid.paymentKey()).setAmount(100).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("amount"));
        assertEquals(io.pawfiler.paymentsandbox.PaymentStatus.CANCELED,
                PaymentServiceSetup.sandbox.payment(paid.paymentKey()).status());
        assertFalse(payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance()).getActive());
        assertEquals("FAILED", Sql.text("SELECT status FROM payment.transactions WHERE id = '" + checkout.getTransactionId() + "'"));
        // someone else's transaction is not yours to confirm
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> payments(newUser())
                .confirmPayment(ConfirmPaymentRequest.newBuilder().setTransactionId(checkout.getTransactionId())
                        .setProviderPaymentKey(paid.paymentKey()).setAmount(4900).build())).getStatus().getCode());
    }

    @Test
    void forgedOrStaleWebhooksAre401AndChangeNothing() throws Exception {
        String user = newUser();
        CheckoutResponse checkout = payments(user).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());
        PaymentServiceSetup.sandbox.holdWebhooks();
        Payment done = PaymentServiceSetup.sandbox.approveOrder(checkout.getTransactionId(), "월간 프리미엄", 4900);
        String body = "{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"createdAt\":\"" + Instant.now() + "\",\"data\":{"
                + "\"paymentKey\":\"" + done.paymentKey() + "\",\"orderId\":\"" + checkout.getTransactionId()
                + "\",\"status\":\"DONE\",\"totalAmount\":4900}}";
        long now = Instant.now().getEpochSecond();
        byte[] secret = PaymentServiceSetup.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8);
        assertEquals(401, webhook(body, now, WebhookSignature.sign("not-the-secret".getBytes(StandardCharsets.UTF_8), now, body)));
        assertEquals(401, webhook(body, now - 600, WebhookSignature.sign(secret, now - 600, body)), "stale");
        assertEquals(401, webhook(body, now, null), "unsigned");
        assertEquals(401, webhook(body.replace("4900", "49"), now, WebhookSignature.sign(secret, now, body)), "tampered");
        assertFalse(payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance()).getActive());
        assertEquals("PENDING", Sql.text("SELECT status FROM payment.transactions WHERE id = '" + checkout.getTransactionId() + "'"));
        assertEquals(0, Sql.number("SELECT count(*) FROM payment.webhook_events"
                + " WHERE event_id LIKE 'forged-%'"), "nothing recorded");
        // a correctly signed one is applied
        assertEquals(200, webhook(body, now, WebhookSignature.sign(secret, now, body)));
        assertTrue(payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance()).getActive());
        PaymentServiceSetup.sandbox.releaseHeldWebhooks(false);
    }

    @Test
    void aLostWebhookAndAnUnconfirmedPaymentAreRecoveredByReconciliation() throws Exception {
        String lostUser = newUser();
        CheckoutResponse lost = payments(lostUser).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());
        PaymentServiceSetup.sandbox.dropNextWebhooks(10);
        PaymentServiceSetup.sandbox.approveOrder(lost.getTransactionId(), "월간 프리미엄", 4900);

        String walkedAway = newUser();  // paid on the page, closed the browser before the app confirmed
        CheckoutResponse unconfirmed = payments(walkedAway).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());
        PaymentServiceSetup.sandbox.createPayment(unconfirmed.getTransactionId(), "월간 프리미엄", 4900, walkedAway);

        String neverPaid = newUser();
        CheckoutResponse abandoned = payments(neverPaid).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());

        Thread.sleep(2_500);  // past the 2 s checkout TTL of this test
        PaymentServiceSetup.sandbox.dropNextWebhooks(0);
        jobs.reconcile();
        assertTrue(payments(lostUser).getSubscription(GetSubscriptionRequest.getDefaultInstance()).getActive());
        assertTrue(payments(walkedAway).getSubscription(GetSubscriptionRequest.getDefaultInstance()).getActive());
        assertEquals(io.pawfiler.paymentsandbox.PaymentStatus.DONE,
                PaymentServiceSetup.sandbox.paymentByOrderId(unconfirmed.getTransactionId()).status());
        assertEquals("FAILED", Sql.text("SELECT status FROM payment.transactions WHERE id = '" + abandoned.getTransactionId() + "'"));
        assertEquals(1, completedEvents(lostUser, 1).size());
        jobs.reconcile();
        assertEquals(1, completedEvents(walkedAway, 1).size(), "reconciling again grants nothing more");
    }

    @Test
    void cancelKeepsPremiumUntilTheEndExpiryEndsItAndRefundTakesItBack() throws Exception {
        String user = newUser();
        String transaction = buyMonthly(user);
        Subscription cancelled = payments(user).cancelSubscription(CancelSubscriptionRequest.getDefaultInstance())
                .getSubscription();
        assertEquals("CANCELED", cancelled.getStatus());
        assertTrue(cancelled.getActive(), "premium until the end of the paid period");
        assertFalse(cancelled.getAutoRenew());
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> payments(newUser())
                .cancelSubscription(CancelSubscriptionRequest.newBuilder().setSubscriptionId(cancelled.getId()).build()))
                .getStatus().getCode());

        assertEquals(1, Sql.update("UPDATE payment.subscriptions SET expires_at = now() - interval '1 minute'"
                + " WHERE user_id = '" + user + "'"));
        jobs.expire();
        Subscription expired = payments(user).getSubscription(GetSubscriptionRequest.getDefaultInstance());
        assertEquals("EXPIRED", expired.getStatus());
        assertFalse(expired.getActive());
        PremiumChanged ended = premiumEvents(user, 1).get(0);
        assertEquals("expired", ended.getReason());

        // a refund (admins only) of a fresh purchase ends premium and tells auth-service
        String refundUser = newUser();
        String bought = buyMonthly(refundUser);
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class, () -> payments(refundUser)
                .refundPayment(RefundPaymentRequest.newBuilder().setTransactionId(bought).build())).getStatus().getCode());
        var refunded = admin().refundPayment(RefundPaymentRequest.newBuilder().setTransactionId(bought)
                .setReason("고객 요청").build());
        assertEquals(PaymentStatus.REFUNDED, refunded.getTransaction().getStatus());
        assertEquals("EXPIRED", refunded.getSubscription().getStatus());
        assertFalse(refunded.getSubscription().getActive());
        assertEquals(io.pawfiler.paymentsandbox.PaymentStatus.CANCELED,
                PaymentServiceSetup.sandbox.paymentByOrderId(bought).status());
        PremiumChanged revoked = premiumEvents(refundUser, 1).get(0);
        assertEquals("refund", revoked.getReason());
        assertEquals(bought, revoked.getPaymentId());
        assertFalse(Instant.ofEpochSecond(revoked.getPremiumUntil().getSeconds()).isAfter(Instant.now()));
        // refunding again is a no-op
        assertEquals(PaymentStatus.REFUNDED, admin().refundPayment(RefundPaymentRequest.newBuilder()
                .setTransactionId(bought).build()).getTransaction().getStatus());
        awaitWebhooksDelivered();
        assertEquals(1, premiumEvents(refundUser, 1).size(), "the provider's CANCELED webhook revoked nothing more");
        assertFalse(transaction.isBlank());
    }

    @Test
    void historyIsTheCallersNewestFirstInPages() {
        String user = newUser();
        for (int i = 0; i < 5; i++) {
            payments(user).createCheckout(CheckoutRequest.newBuilder().setPlanId(i % 2 == 0 ? "monthly" : "yearly").build());
        }
        ListTransactionsResponse first = payments(user).listTransactions(ListTransactionsRequest.newBuilder()
                .setPageSize(2).build());
        assertEquals(2, first.getTransactionsCount());
        assertFalse(first.getNextPageToken().isBlank());
        ListTransactionsResponse second = payments(user).listTransactions(ListTransactionsRequest.newBuilder()
                .setPageSize(2).setPageToken(first.getNextPageToken()).build());
        ListTransactionsResponse third = payments(user).listTransactions(ListTransactionsRequest.newBuilder()
                .setPageSize(2).setPageToken(second.getNextPageToken()).build());
        assertEquals(1, third.getTransactionsCount());
        assertTrue(third.getNextPageToken().isBlank());
        assertTrue(first.getTransactions(0).getCreatedAt().getSeconds() >= second.getTransactions(1).getCreatedAt().getSeconds());
        assertEquals("연간 프리미엄", first.getTransactions(1).getPlanName());
        assertEquals("toss", first.getTransactions(0).getProvider());
        assertEquals(0, payments(newUser()).listTransactions(ListTransactionsRequest.getDefaultInstance())
                .getTransactionsCount(), "nobody else's");
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> payments(user)
                .listTransactions(ListTransactionsRequest.newBuilder().setPageToken("garbage!").build())).getStatus().getCode());
    }

    // ---------------------------------------------------------------- helpers

    private String buyMonthly(String user) {
        CheckoutResponse checkout = payments(user).createCheckout(CheckoutRequest.newBuilder().setPlanId("monthly").build());
        Payment paid = PaymentServiceSetup.sandbox.createPayment(checkout.getTransactionId(), "월간 프리미엄", 4900, user);
        assertTrue(payments(user).confirmPayment(ConfirmPaymentRequest.newBuilder().setTransactionId(checkout.getTransactionId())
                .setProviderPaymentKey(paid.paymentKey()).setAmount(4900).build()).getSuccess());
        return checkout.getTransactionId();
    }

    /** Presses "pay" on the sandbox's checkout page and follows it back: the success URL's query. */
    private static Map<String, String> payOnPage(String checkoutUrl) throws Exception {
        URI checkout = URI.create(checkoutUrl);
        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(checkout.resolve("/checkout/pay"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(checkout.getRawQuery())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, redirect.statusCode(), redirect.body());
        URI back = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        Map<String, String> query = new HashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private int webhook(String body, long transmissionTime, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.path("/payments/webhooks/toss").getUri())
                .header("Content-Type", "application/json")
                .header("Tosspayments-Webhook-Transmission-Id", "forged-" + UUID.randomUUID())
                .header("Tosspayments-Webhook-Transmission-Time", String.valueOf(transmissionTime))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Tosspayments-Webhook-Signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void awaitWebhooksDelivered() throws InterruptedException {
        assertTrue(PaymentServiceSetup.sandbox.awaitWebhooksIdle(Duration.ofSeconds(30)));
    }

    private static List<PaymentCompleted> completedEvents(String user, int atLeast) {
        return KafkaTopics.readUntil(EventType.PAYMENT_COMPLETED.topic(), Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> user.equals(r.key())).count() >= atLeast).stream()
                .filter(r -> user.equals(r.key()))
                .map(r -> CloudEventCodec.decode(r.value()).dataAs(PaymentCompleted.class)).toList();
    }

    private static List<PremiumChanged> premiumEvents(String user, int atLeast) {
        return KafkaTopics.readUntil(EventType.PREMIUM_CHANGED.topic(), Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> user.equals(r.key())).count() >= atLeast).stream()
                .filter(r -> user.equals(r.key()))
                .map(r -> CloudEventCodec.decode(r.value()).dataAs(PremiumChanged.class)).toList();
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String newUser() {
        return UUID.randomUUID().toString();
    }




    private ManagedChannel channel() {
        if (channel == null) {
            channel = GrpcClients.plaintext(target.getUri().getPort());
        }
        return channel;
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments(String userId) {
        return PaymentServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(TestTokens.shared().token(userId, "user")));
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub admin() {
        return PaymentServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(GrpcClients.bearer(TestTokens.shared().token(newUser(), "user", "admin")));
    }
}

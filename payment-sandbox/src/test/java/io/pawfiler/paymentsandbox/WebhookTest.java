package io.pawfiler.paymentsandbox;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.pawfiler.paymentsandbox.SandboxApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook signatures, retries and the controls that lose, duplicate and reorder them. */
class WebhookTest {

    private static final String SECRET_KEY = "test_sk_webhooks";
    private static final String WEBHOOK_SECRET = "whsec_webhook_test";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private WebhookReceiver receiver;
    private SandboxProvider sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private SandboxProvider start(String webhookUrl, Duration... retryDelays) throws Exception {
        sandbox = SandboxProvider.start(Settings.builder()
                .secretKey(SECRET_KEY)
                .webhookUrl(webhookUrl)
                .webhookSecret(WEBHOOK_SECRET)
                .webhookRetryDelays(retryDelays)
                .webhookTimeout(Duration.ofSeconds(2))
                .build());
        return sandbox;
    }

    private SandboxProvider startWithReceiver(Duration... retryDelays) throws Exception {
        receiver = new WebhookReceiver();
        return start(receiver.url(), retryDelays);
    }

    @Test
    void signedAndRetriedUntilA2xx() throws Exception {
        startWithReceiver(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(100));
        receiver.answer(500, 503);
        Payment payment = sandbox.approveOrder("order-w001", "Premium", 9900);

        List<WebhookReceiver.Received> received = receiver.await(3, WAIT);
        assertTrue(sandbox.awaitWebhooksIdle(WAIT));
        assertEquals(3, receiver.received().size(), "a 2xx ends the retries");
        String transmissionId = received.getFirst().transmissionId();
        for (int i = 0; i < received.size(); i++) {
            WebhookReceiver.Received webhook = received.get(i);
            assertEquals(transmissionId, webhook.transmissionId(), "one id for every attempt of an event");
            assertEquals(String.valueOf(i), webhook.retriedCount());
            assertTrue(webhook.contentType().startsWith("application/json"));
            assertTrue(webhook.signature().startsWith("v1:"));
            long time = Long.parseLong(webhook.transmissionTime());
            assertTrue(Math.abs(Instant.now().getEpochSecond() - time) < 60);
            // the documented scheme, recomputed by hand
            assertEquals(WebhookSignature.sign(WEBHOOK_SECRET, time, webhook.body()), webhook.signature());
            assertTrue(WebhookSignature.verify(WEBHOOK_SECRET, webhook.signature(), webhook.transmissionTime(),
                    webhook.body()));
            assertEquals(received.getFirst().body(), webhook.body(), "a retry sends the same body");
        }
        WebhookReceiver.Received first = received.getFirst();
        assertFalse(WebhookSignature.verify("another secret", first.signature(), first.transmissionTime(),
                first.body()));
        assertFalse(WebhookSignature.verify(WEBHOOK_SECRET, first.signature(), first.transmissionTime(),
                first.body().replace("9900", "9901")));
        assertFalse(WebhookSignature.verify(WEBHOOK_SECRET, first.signature(),
                String.valueOf(Long.parseLong(first.transmissionTime()) + 1), first.body()));
        assertFalse(WebhookSignature.verify(WEBHOOK_SECRET, first.signature(), first.transmissionTime(),
                first.body(), Instant.now().plus(Duration.ofMinutes(6)), WebhookSignature.DEFAULT_TOLERANCE),
                "older than 5 minutes");

        JsonObject event = Api.json(first.body());
        assertEquals("PAYMENT_STATUS_CHANGED", event.getString("eventType"));
        assertTrue(event.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
        assertEquals(payment.json(), event.getJsonObject("data"));

        assertEquals(List.of(500, 503, 200), sandbox.webhookDeliveries().stream()
                .map(WebhookDelivery::httpStatus).toList());
        assertEquals(List.of(1, 2, 3), sandbox.webhookDeliveries().stream().map(WebhookDelivery::attempt).toList());
        WebhookEvent recorded = sandbox.webhookEvents().getFirst();
        assertEquals(WebhookEvent.State.DELIVERED, recorded.state());
        assertEquals(transmissionId, recorded.transmissionId());
        assertEquals(PaymentStatus.DONE, recorded.paymentStatus());
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        startWithReceiver(Duration.ofMillis(20), Duration.ofMillis(20));
        receiver.answerByDefault(500);
        sandbox.approveOrder("order-w002", "Premium", 1000);
        assertTrue(sandbox.awaitWebhooksIdle(WAIT));
        Thread.sleep(200);
        assertEquals(3, receiver.received().size(), "1 + one per retry delay");
        assertEquals(WebhookEvent.State.FAILED, sandbox.webhookEvents().getFirst().state());
    }

    @Test
    void aReceiverThatIsDownIsRetriedToo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start("http://127.0.0.1:" + closedPort + "/payments/webhooks/toss", Duration.ofMillis(20),
                Duration.ofMillis(20));
        long began = System.nanoTime();
        sandbox.approveOrder("order-w003", "Premium", 1000);
        assertTrue(Duration.ofNanos(System.nanoTime() - began).toMillis() < 1000, "the API call does not wait");
        assertTrue(sandbox.awaitWebhooksIdle(WAIT));
        List<WebhookDelivery> deliveries = sandbox.webhookDeliveries();
        assertEquals(3, deliveries.size());
        for (WebhookDelivery delivery : deliveries) {
            assertEquals(-1, delivery.httpStatus());
            assertTrue(delivery.error() != null && !delivery.error().isBlank());
        }
        assertEquals(WebhookEvent.State.FAILED, sandbox.webhookEvents().getFirst().state());
    }

    @Test
    void aDroppedWebhookIsNeverSent() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        sandbox.dropNextWebhooks(1);
        Payment lost = sandbox.approveOrder("order-w004", "Premium", 1000);
        Payment seen = sandbox.approveOrder("order-w005", "Premium", 1000);
        List<WebhookReceiver.Received> received = receiver.await(1, WAIT);
        assertTrue(sandbox.awaitWebhooksIdle(WAIT));
        assertEquals(1, receiver.received().size());
        assertEquals(seen.paymentKey(), Api.json(received.getFirst().body()).getJsonObject("data")
                .getString("paymentKey"));
        List<WebhookEvent> events = sandbox.webhookEvents();
        assertEquals(lost.paymentKey(), events.get(0).paymentKey());
        assertEquals(WebhookEvent.State.DROPPED, events.get(0).state());
        assertEquals(WebhookEvent.State.DELIVERED, events.get(1).state());
        // the shop can still learn the truth by asking
        assertEquals(PaymentStatus.DONE, sandbox.payment(lost.paymentKey()).status());
    }

    @Test
    void aDuplicatedWebhookArrivesTwice() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        sandbox.duplicateNextWebhooks(1);
        sandbox.approveOrder("order-w006", "Premium", 1000);
        sandbox.approveOrder("order-w007", "Premium", 1000);
        List<WebhookReceiver.Received> received = receiver.await(3, WAIT);
        assertTrue(sandbox.awaitWebhooksIdle(WAIT));
        assertEquals(3, receiver.received().size());
        assertEquals(received.get(0).transmissionId(), received.get(1).transmissionId());
        assertEquals(received.get(0).body(), received.get(1).body());
        assertTrue(WebhookSignature.verify(WEBHOOK_SECRET, received.get(1).signature(),
                received.get(1).transmissionTime(), received.get(1).body()));
        assertEquals(2, sandbox.webhookEvents().get(0).copies());
        assertEquals(1, sandbox.webhookEvents().get(1).copies());
        assertEquals(List.of(WebhookEvent.State.DELIVERED, WebhookEvent.State.DELIVERED),
                sandbox.webhookEvents().stream().map(WebhookEvent::state).toList());
    }

    @Test
    void heldWebhooksAreReleasedInReverseOrder() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        sandbox.holdWebhooks();
        Payment payment = sandbox.approveOrder("order-w008", "Premium", 3000);
        try (Api api = new Api(sandbox.baseUrl(), SECRET_KEY)) {
            for (int amount : new int[] {1000, 2000}) {
                assertEquals(200, api.post("/v1/payments/" + payment.paymentKey() + "/cancel",
                        "{\"cancelReason\":\"refund\",\"cancelAmount\":" + amount + "}").statusCode());
            }
        }
        Thread.sleep(200);
        assertTrue(receiver.received().isEmpty(), "held");
        assertEquals(List.of(WebhookEvent.State.HELD, WebhookEvent.State.HELD, WebhookEvent.State.HELD),
                sandbox.webhookEvents().stream().map(WebhookEvent::state).toList());
        assertEquals(3, sandbox.releaseHeldWebhooks(true));
        List<WebhookReceiver.Received> received = receiver.await(3, WAIT);
        assertEquals(List.of("CANCELED", "PARTIAL_CANCELED", "DONE"), received.stream()
                .map(w -> Api.json(w.body()).getJsonObject("data").getString("status")).toList());
        // holding ended with the release
        sandbox.approveOrder("order-w009", "Premium", 1000);
        receiver.await(4, WAIT);
    }

    @Test
    void settledWithoutAConfirmCall() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        Payment authorized = sandbox.createPayment("order-w010", "Premium", 9900, "user-1");
        Payment settled = sandbox.approveOrder("order-w010");
        assertEquals(authorized.paymentKey(), settled.paymentKey());
        assertEquals(PaymentStatus.DONE, settled.status());
        JsonObject data = Api.json(receiver.await(1, WAIT).getFirst().body()).getJsonObject("data");
        assertEquals("DONE", data.getString("status"));
        try (Api api = new Api(sandbox.baseUrl(), SECRET_KEY)) {
            assertError(400, "ALREADY_PROCESSED_PAYMENT", api.post("/v1/payments/confirm", "{\"paymentKey\":\""
                    + settled.paymentKey() + "\",\"orderId\":\"order-w010\",\"amount\":9900}"));
        }
        SandboxException twice = assertThrows(SandboxException.class, () -> sandbox.approveOrder("order-w010"));
        assertEquals("ALREADY_PROCESSED_PAYMENT", twice.code());
        assertEquals("NOT_FOUND_PAYMENT", assertThrows(SandboxException.class,
                () -> sandbox.approveOrder("order-none")).code());
    }

    @Test
    void abortedAndExpiredPayments() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        Payment toAbort = sandbox.createPayment("order-w011", "Premium", 1000, null);
        Payment toExpire = sandbox.createPayment("order-w012", "Premium", 1000, null);
        Payment aborted = sandbox.abort(toAbort.paymentKey());
        Payment expired = sandbox.expire(toExpire.paymentKey());
        assertEquals(PaymentStatus.ABORTED, aborted.status());
        assertEquals("PAY_PROCESS_ABORTED", aborted.json().getJsonObject("failure").getString("code"));
        assertEquals(PaymentStatus.EXPIRED, expired.status());
        List<WebhookReceiver.Received> received = receiver.await(2, WAIT);
        assertEquals(List.of("ABORTED", "EXPIRED"), received.stream()
                .map(w -> Api.json(w.body()).getJsonObject("data").getString("status")).toList());
        try (Api api = new Api(sandbox.baseUrl(), SECRET_KEY)) {
            assertError(404, "NOT_FOUND_PAYMENT_SESSION", api.post("/v1/payments/confirm", "{\"paymentKey\":\""
                    + expired.paymentKey() + "\",\"orderId\":\"order-w012\",\"amount\":1000}"));
            assertError(400, "ALREADY_PROCESSED_PAYMENT", api.post("/v1/payments/confirm", "{\"paymentKey\":\""
                    + aborted.paymentKey() + "\",\"orderId\":\"order-w011\",\"amount\":1000}"));
        }
        assertEquals("ALREADY_PROCESSED_PAYMENT",
                assertThrows(SandboxException.class, () -> sandbox.expire(aborted.paymentKey())).code());
    }

    @Test
    void withoutAWebhookUrlNothingIsSent() throws Exception {
        start("");
        sandbox.approveOrder("order-w013", "Premium", 1000);
        assertTrue(sandbox.awaitWebhooksIdle(Duration.ofSeconds(1)));
        assertEquals(WebhookEvent.State.NOT_SENT, sandbox.webhookEvents().getFirst().state());
        assertTrue(sandbox.webhookDeliveries().isEmpty());
    }

    @Test
    void theControlsWorkOverHttp() throws Exception {
        startWithReceiver(Duration.ofMillis(20));
        try (Api api = new Api(sandbox.baseUrl(), SECRET_KEY)) {
            assertEquals("UP", Api.json(api.get("/sandbox/health")).getString("status"));
            HttpResponse<String> created = api.post("/sandbox/payments",
                    "{\"orderId\":\"order-h001\",\"orderName\":\"Premium\",\"amount\":4900}");
            assertEquals(201, created.statusCode(), created.body());
            String paymentKey = Api.json(created).getString("paymentKey");
            assertEquals(200, api.post("/sandbox/webhooks/drop", "{\"count\":1}").statusCode());
            assertEquals("DONE", Api.json(api.post("/sandbox/orders/order-h001/approve", "")).getString("status"));
            assertEquals(200, api.post("/sandbox/webhooks/duplicate", "{}").statusCode());
            assertEquals("DONE", Api.json(api.post("/sandbox/orders/order-h002/approve",
                    "{\"orderName\":\"Premium\",\"amount\":4900}")).getString("status"));
            receiver.await(2, WAIT);
            assertEquals(200, api.post("/sandbox/webhooks/hold", "").statusCode());
            Payment authorized = sandbox.createPayment("order-h003", "Premium", 4900, null);
            Payment other = sandbox.createPayment("order-h004", "Premium", 4900, null);
            assertEquals("ABORTED", Api.json(api.post("/sandbox/payments/" + authorized.paymentKey() + "/abort",
                    "")).getString("status"));
            assertEquals("EXPIRED", Api.json(api.post("/sandbox/payments/" + other.paymentKey() + "/expire", ""))
                    .getString("status"));
            assertEquals(2, Api.json(api.post("/sandbox/webhooks/release", "{\"reverse\":true}")).getInt("released"));
            List<WebhookReceiver.Received> received = receiver.await(4, WAIT);
            assertEquals("EXPIRED", Api.json(received.get(2).body()).getJsonObject("data").getString("status"));
            assertEquals("ABORTED", Api.json(received.get(3).body()).getJsonObject("data").getString("status"));
            assertTrue(sandbox.awaitWebhooksIdle(WAIT));

            JsonObject webhooks = Api.json(api.get("/sandbox/webhooks"));
            assertEquals(receiver.url(), webhooks.getString("webhookUrl"));
            assertEquals(List.of("DROPPED", "DELIVERED", "DELIVERED", "DELIVERED"), webhooks.getJsonArray("events")
                    .getValuesAs(JsonObject.class).stream().map(e -> e.getString("state")).toList());
            assertEquals(4, webhooks.getJsonArray("deliveries").size());
            assertEquals(200, webhooks.getJsonArray("deliveries").getJsonObject(0).getInt("httpStatus"));
            assertEquals(4, Api.json("{\"p\":" + api.get("/sandbox/payments").body() + "}").getJsonArray("p").size());

            assertEquals(200, api.post("/sandbox/faults/confirm-fail", "{\"count\":1}").statusCode());
            assertEquals(200, api.post("/sandbox/faults/confirm-hang", "{\"seconds\":0.2}").statusCode());
            Payment third = sandbox.createPayment("order-h005", "Premium", 4900, null);
            String body = "{\"paymentKey\":\"" + third.paymentKey() + "\",\"orderId\":\"order-h005\",\"amount\":4900}";
            assertError(500, "FAILED_INTERNAL_SYSTEM_PROCESSING", api.post("/v1/payments/confirm", body));
            long began = System.nanoTime();
            assertEquals(200, api.post("/v1/payments/confirm", body).statusCode());
            assertTrue(Duration.ofNanos(System.nanoTime() - began).toMillis() >= 150, "held back ~0.2 s");
            assertError(400, "INVALID_REQUEST", api.post("/sandbox/faults/confirm-hang", "{}"));
            assertError(404, "NOT_FOUND_PAYMENT", api.post("/sandbox/orders/order-none/approve", ""));
            assertEquals(paymentKey, sandbox.paymentByOrderId("order-h001").paymentKey());

            assertEquals(200, api.post("/sandbox/reset", "").statusCode());
            assertTrue(sandbox.payments().isEmpty());
            assertTrue(sandbox.webhookEvents().isEmpty());
            assertError(404, "NOT_FOUND_PAYMENT", api.get("/v1/payments/" + paymentKey));
        }
    }
}

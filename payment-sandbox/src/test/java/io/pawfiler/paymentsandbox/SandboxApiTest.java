package io.pawfiler.paymentsandbox;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkout page and the Toss API subset, over loopback HTTP as a Toss adapter uses them. */
class SandboxApiTest {

    private static final String SECRET_KEY = "test_sk_sandbox_one";
    private static final String OTHER_KEY = "test_sk_sandbox_two";
    private static final String WEBHOOK_SECRET = "whsec_for_tests";
    private static final String SUCCESS_URL = "http://127.0.0.1:9/shop/pay/success?plan=monthly";
    private static final String FAIL_URL = "https://shop.example/pay/fail";

    private WebhookReceiver receiver;
    private SandboxProvider sandbox;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        sandbox = SandboxProvider.start(Settings.builder()
                .secretKeys(List.of(SECRET_KEY, OTHER_KEY))
                .webhookUrl(receiver.url())
                .webhookSecret(WEBHOOK_SECRET)
                .webhookRetryDelays(Duration.ofMillis(20), Duration.ofMillis(40))
                .build());
        api = new Api(sandbox.baseUrl(), SECRET_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
        sandbox.close();
        receiver.close();
    }

    @Test
    void checkoutPayConfirmReplayAndCancel() throws Exception {
        String orderName = "프리미엄 <b>1개월</b> & \"x\"";
        HttpResponse<String> page = api.get(sandbox.checkoutUrl("order-0001", 9900, orderName, "user-42",
                SUCCESS_URL, FAIL_URL));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("프리미엄 &lt;b&gt;1개월&lt;/b&gt; &amp; &quot;x&quot;"), page.body());
        assertFalse(page.body().contains("<b>1개월"), "the order name is escaped");
        assertTrue(page.body().contains("action=\"/checkout/pay\""));
        assertTrue(page.body().contains("action=\"/checkout/fail\""));
        assertTrue(page.body().contains("9,900원"));

        // the "pay" button, as the browser (or curl) submits it
        HttpResponse<String> paid = api.postForm("/checkout/pay", order("order-0001", "9900", orderName));
        assertEquals(303, paid.statusCode());
        String location = paid.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(SUCCESS_URL + "&paymentKey="), location);
        Map<String, String> back = Api.query(location);
        assertEquals("monthly", back.get("plan"));
        assertEquals("order-0001", back.get("orderId"));
        assertEquals("9900", back.get("amount"));
        String paymentKey = back.get("paymentKey");

        JsonObject authorized = Api.json(api.get("/v1/payments/" + paymentKey));
        assertEquals("IN_PROGRESS", authorized.getString("status"));
        assertTrue(authorized.isNull("approvedAt"));

        String confirmBody = "{\"paymentKey\":\"" + paymentKey + "\",\"orderId\":\"order-0001\",\"amount\":9900}";
        HttpResponse<String> confirmed = api.post("/v1/payments/confirm", confirmBody, "confirm-key-1");
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        JsonObject payment = Api.json(confirmed);
        assertEquals(paymentKey, payment.getString("paymentKey"));
        assertEquals("order-0001", payment.getString("orderId"));
        assertEquals(orderName, payment.getString("orderName"));
        assertEquals("DONE", payment.getString("status"));
        assertEquals("카드", payment.getString("method"));
        assertEquals(9900, payment.getJsonNumber("totalAmount").longValueExact());
        assertEquals(9900, payment.getJsonNumber("balanceAmount").longValueExact());
        assertEquals("KRW", payment.getString("currency"));
        assertEquals(0, payment.getJsonArray("cancels").size());
        OffsetDateTime requestedAt = OffsetDateTime.parse(payment.getString("requestedAt"));
        OffsetDateTime approvedAt = OffsetDateTime.parse(payment.getString("approvedAt"));
        assertEquals("+09:00", approvedAt.getOffset().getId());
        assertFalse(approvedAt.isBefore(requestedAt));

        // the same Idempotency-Key and body (spaced differently): the first answer again, nothing processed
        HttpResponse<String> replay = api.post("/v1/payments/confirm",
                "{ \"amount\": 9900, \"orderId\": \"order-0001\", \"paymentKey\": \"" + paymentKey + "\" }",
                "confirm-key-1");
        assertEquals(200, replay.statusCode());
        assertEquals(confirmed.body(), replay.body());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElseThrow());
        // the same key, another body
        assertError(422, "IDEMPOTENT_REQUEST_PROCESSING", api.post("/v1/payments/confirm",
                confirmBody.replace("9900", "100"), "confirm-key-1"));
        // no key: a second confirm of a DONE payment
        assertError(400, "ALREADY_PROCESSED_PAYMENT", api.post("/v1/payments/confirm", confirmBody));

        HttpResponse<String> partly = api.post("/v1/payments/" + paymentKey + "/cancel",
                "{\"cancelReason\":\"고객 요청\",\"cancelAmount\":3000}", "cancel-key-1");
        assertEquals(200, partly.statusCode(), partly.body());
        JsonObject partial = Api.json(partly);
        assertEquals("PARTIAL_CANCELED", partial.getString("status"));
        assertEquals(6900, partial.getJsonNumber("balanceAmount").longValueExact());
        JsonObject cancel = partial.getJsonArray("cancels").getJsonObject(0);
        assertEquals(3000, cancel.getJsonNumber("cancelAmount").longValueExact());
        assertEquals("고객 요청", cancel.getString("cancelReason"));
        OffsetDateTime.parse(cancel.getString("canceledAt"));

        HttpResponse<String> cancelReplay = api.post("/v1/payments/" + paymentKey + "/cancel",
                "{\"cancelReason\":\"고객 요청\",\"cancelAmount\":3000}", "cancel-key-1");
        assertEquals(partly.body(), cancelReplay.body());
        assertEquals(6900, sandbox.payment(paymentKey).balanceAmount(), "the replay cancelled nothing");

        JsonObject canceled = Api.json(api.post("/v1/payments/" + paymentKey + "/cancel",
                "{\"cancelReason\":\"전액 환불\"}"));
        assertEquals("CANCELED", canceled.getString("status"));
        assertEquals(0, canceled.getJsonNumber("balanceAmount").longValueExact());
        assertEquals(2, canceled.getJsonArray("cancels").size());
        assertEquals(6900, canceled.getJsonArray("cancels").getJsonObject(1).getJsonNumber("cancelAmount")
                .longValueExact());
        assertError(400, "ALREADY_CANCELED_PAYMENT", api.post("/v1/payments/" + paymentKey + "/cancel",
                "{\"cancelReason\":\"again\"}"));

        JsonObject byOrder = Api.json(api.get("/v1/payments/orders/order-0001"));
        assertEquals(paymentKey, byOrder.getString("paymentKey"));
        assertEquals("CANCELED", byOrder.getString("status"));

        // one webhook per status change, in order, each signed
        List<WebhookReceiver.Received> webhooks = receiver.await(3, Duration.ofSeconds(10));
        assertEquals(List.of("DONE", "PARTIAL_CANCELED", "CANCELED"), webhooks.stream()
                .map(w -> Api.json(w.body()).getJsonObject("data").getString("status")).toList());
        for (WebhookReceiver.Received webhook : webhooks) {
            JsonObject event = Api.json(webhook.body());
            assertEquals("PAYMENT_STATUS_CHANGED", event.getString("eventType"));
            assertEquals(paymentKey, event.getJsonObject("data").getString("paymentKey"));
            assertTrue(WebhookSignature.verify(WEBHOOK_SECRET, webhook.signature(), webhook.transmissionTime(),
                    webhook.body()));
        }
    }

    @Test
    void failButtonSendsTheCustomerBackWithPayProcessCanceled() throws Exception {
        HttpResponse<String> failed = api.postForm("/checkout/fail", order("order-0002", "5000", "Premium"));
        assertEquals(303, failed.statusCode());
        String location = failed.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(FAIL_URL + "?"), location);
        Map<String, String> back = Api.query(location);
        assertEquals("PAY_PROCESS_CANCELED", back.get("code"));
        assertEquals("order-0002", back.get("orderId"));
        assertFalse(back.get("message").isBlank());
        assertTrue(sandbox.payments().isEmpty(), "failing creates no payment");
    }

    @Test
    void checkoutRefusesUnsafeUrlsAndBadOrders() throws Exception {
        for (String bad : List.of("javascript:alert(1)", "ftp://shop.example/x", "http://user@shop.example/x",
                "/relative/path", "")) {
            HttpResponse<String> page = api.get(sandbox.checkoutUrl("order-0003", 1000, "x", null, bad, FAIL_URL));
            assertEquals(400, page.statusCode(), bad);
            assertTrue(page.body().contains("INVALID_REQUEST"));
            Map<String, String> form = order("order-0003", "1000", "x");
            form.put("successUrl", bad);
            assertEquals(400, api.postForm("/checkout/pay", form).statusCode(), bad);
            form.put("successUrl", SUCCESS_URL);
            form.put("failUrl", bad);
            assertEquals(400, api.postForm("/checkout/fail", form).statusCode(), bad);
        }
        assertEquals(400, api.postForm("/checkout/pay", order("short", "1000", "x")).statusCode());
        assertEquals(400, api.postForm("/checkout/pay", order("order-0003", "-5", "x")).statusCode());
        assertEquals(400, api.postForm("/checkout/pay", order("order-0003", "12.5", "x")).statusCode());
        assertEquals(400, api.postForm("/checkout/pay", order("order-0003", "1000", "")).statusCode());
        HttpResponse<String> escaped = api.get(sandbox.checkoutUrl("order-<script>", 1000, "x", null, SUCCESS_URL,
                FAIL_URL));
        assertEquals(400, escaped.statusCode());
        assertFalse(escaped.body().contains("<script>"));
        assertTrue(sandbox.payments().isEmpty());
    }

    @Test
    void payingTwiceGivesTheSamePaymentAndAReusedOrderIdIsRefused() throws Exception {
        String first = Api.query(api.postForm("/checkout/pay", order("order-0004", "1000", "x"))
                .headers().firstValue("Location").orElseThrow()).get("paymentKey");
        String second = Api.query(api.postForm("/checkout/pay", order("order-0004", "1000", "x"))
                .headers().firstValue("Location").orElseThrow()).get("paymentKey");
        assertEquals(first, second, "a double click on pay");
        assertEquals(200, api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + first + "\",\"orderId\":\"order-0004\",\"amount\":1000}").statusCode());
        HttpResponse<String> again = api.postForm("/checkout/pay", order("order-0004", "1000", "x"));
        assertEquals(303, again.statusCode());
        Map<String, String> back = Api.query(again.headers().firstValue("Location").orElseThrow());
        assertTrue(again.headers().firstValue("Location").orElseThrow().startsWith(FAIL_URL));
        assertEquals("DUPLICATED_ORDER_ID", back.get("code"));
    }

    @Test
    void theApiWantsASecretKeyAsBasicAuth() throws Exception {
        String path = "/v1/payments/no-such-payment";
        assertError(401, "UNAUTHORIZED_KEY", api.getWith(path, null));
        assertError(401, "UNAUTHORIZED_KEY", api.getWith(path, SandboxProvider.basicAuthorization("test_sk_wrong")));
        assertError(401, "UNAUTHORIZED_KEY", api.getWith(path,
                "Basic " + Base64.getEncoder().encodeToString(SECRET_KEY.getBytes())));  // no ':'
        assertError(401, "UNAUTHORIZED_KEY", api.getWith(path, "Bearer " + SECRET_KEY));
        assertError(401, "UNAUTHORIZED_KEY", api.getWith(path, "Basic !!not-base64!!"));
        assertError(401, "UNAUTHORIZED_KEY", new Api(sandbox.baseUrl(), "test_sk_wrong").post("/v1/payments/confirm",
                "{}"));
        // through: both configured keys get to the payment lookup
        assertError(404, "NOT_FOUND_PAYMENT", api.getWith(path, SandboxProvider.basicAuthorization(SECRET_KEY)));
        assertError(404, "NOT_FOUND_PAYMENT", api.getWith(path, SandboxProvider.basicAuthorization(OTHER_KEY)));
        assertError(404, "NOT_FOUND_PAYMENT", api.getWith("/v1/payments/orders/order-9999",
                sandbox.authorizationHeader()));
    }

    @Test
    void confirmRefusesWhatDoesNotMatchThePayment() throws Exception {
        Payment payment = sandbox.createPayment("order-0005", "Premium", 9900, null);
        String key = payment.paymentKey();
        assertError(404, "NOT_FOUND_PAYMENT", api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"nope\",\"orderId\":\"order-0005\",\"amount\":9900}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + key + "\",\"orderId\":\"order-0005\",\"amount\":100}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + key + "\",\"orderId\":\"order-0006\",\"amount\":9900}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + key + "\",\"orderId\":\"order-0005\"}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + key + "\",\"orderId\":\"order-0005\",\"amount\":9900.5}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/confirm", "not json"));
        assertEquals(PaymentStatus.IN_PROGRESS, sandbox.payment(key).status());
        // amount as a string, as some clients send it
        HttpResponse<String> confirmed = api.post("/v1/payments/confirm",
                "{\"paymentKey\":\"" + key + "\",\"orderId\":\"order-0005\",\"amount\":\"9900\"}");
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        assertEquals(PaymentStatus.DONE, sandbox.payment(key).status());
    }

    @Test
    void cancelRules() throws Exception {
        Payment authorized = sandbox.createPayment("order-0007", "Premium", 5000, null);
        String key = authorized.paymentKey();
        assertError(400, "NOT_CANCELABLE_AMOUNT", api.post("/v1/payments/" + key + "/cancel",
                "{\"cancelReason\":\"partial of an authorization\",\"cancelAmount\":1000}"));
        assertError(400, "INVALID_REQUEST", api.post("/v1/payments/" + key + "/cancel", "{}"));
        assertError(404, "NOT_FOUND_PAYMENT", api.post("/v1/payments/nope/cancel", "{\"cancelReason\":\"x\"}"));
        // an authorization that was never confirmed is voided whole
        JsonObject voided = Api.json(api.post("/v1/payments/" + key + "/cancel", "{\"cancelReason\":\"void\"}"));
        assertEquals("CANCELED", voided.getString("status"));
        assertEquals(0, voided.getJsonNumber("balanceAmount").longValueExact());

        Payment done = sandbox.approveOrder("order-0008", "Premium", 5000);
        assertError(400, "NOT_CANCELABLE_AMOUNT", api.post("/v1/payments/" + done.paymentKey() + "/cancel",
                "{\"cancelReason\":\"too much\",\"cancelAmount\":5001}"));
        Payment aborted = sandbox.abort(sandbox.createPayment("order-0009", "Premium", 5000, null).paymentKey());
        assertError(400, "NOT_CANCELABLE_PAYMENT", api.post("/v1/payments/" + aborted.paymentKey() + "/cancel",
                "{\"cancelReason\":\"x\"}"));
    }

    @Test
    void aFailingConfirmChangesNothingAndMayBeRetriedWithTheSameKey() throws Exception {
        Payment payment = sandbox.createPayment("order-0010", "Premium", 9900, null);
        String body = "{\"paymentKey\":\"" + payment.paymentKey() + "\",\"orderId\":\"order-0010\",\"amount\":9900}";
        sandbox.failNextConfirms(1);
        assertError(500, "FAILED_INTERNAL_SYSTEM_PROCESSING", api.post("/v1/payments/confirm", body, "k-10"));
        assertEquals(PaymentStatus.IN_PROGRESS, sandbox.payment(payment.paymentKey()).status());
        HttpResponse<String> retried = api.post("/v1/payments/confirm", body, "k-10");
        assertEquals(200, retried.statusCode(), "a 5xx is not kept for the key: " + retried.body());
        assertTrue(retried.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals("DONE", Api.json(retried).getString("status"));
    }

    @Test
    void aHangingConfirmIsProcessedWhileTheCallerTimesOut() throws Exception {
        Payment payment = sandbox.createPayment("order-0011", "Premium", 9900, null);
        String body = "{\"paymentKey\":\"" + payment.paymentKey() + "\",\"orderId\":\"order-0011\",\"amount\":9900}";
        sandbox.hangNextConfirms(1, Duration.ofSeconds(5));
        assertThrows(HttpTimeoutException.class, () -> api.send(api.jsonPost("/v1/payments/confirm", body, "k-11")
                .timeout(Duration.ofMillis(300))));
        assertEquals(PaymentStatus.DONE, sandbox.payment(payment.paymentKey()).status(), "the provider approved");
        long began = System.nanoTime();
        HttpResponse<String> retried = api.post("/v1/payments/confirm", body, "k-11");
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals("DONE", Api.json(retried).getString("status"));
        assertTrue(Duration.ofNanos(System.nanoTime() - began).toMillis() < 2000, "the replay does not hang");
        assertError(400, "ALREADY_PROCESSED_PAYMENT", api.post("/v1/payments/confirm", body));
        receiver.await(1, Duration.ofSeconds(5));
        assertEquals(1, sandbox.webhookEvents().size(), "approved once");
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assertError(404, "NOT_FOUND", api.get("/v2/payments/x"));
        assertError(405, "METHOD_NOT_ALLOWED", api.get("/v1/payments/confirm"));
        assertError(405, "METHOD_NOT_ALLOWED", api.post("/v1/payments/some-key", "{}"));
        HttpResponse<String> index = api.get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("not a real payment provider"));
        assertNotEquals(0, sandbox.port());
    }

    private static Map<String, String> order(String orderId, String amount, String orderName) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("orderId", orderId);
        form.put("amount", amount);
        form.put("orderName", orderName);
        form.put("successUrl", SUCCESS_URL);
        form.put("failUrl", FAIL_URL);
        return form;
    }

    static void assertError(int status, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject error = Api.json(response);
        assertEquals(code, error.getString("code"), response.body());
        assertFalse(error.getString("message").isBlank());
    }
}

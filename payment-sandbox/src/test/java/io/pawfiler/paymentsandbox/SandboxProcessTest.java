package io.pawfiler.paymentsandbox;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox in its own JVM, configured through the environment, as ./pawfiler up runs it. */
class SandboxProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsInItsOwnJvmFromTheEnvironment() throws Exception {
        Path log = dir.resolve("logs/payment-sandbox.log");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Settings settings = Settings.builder().secretKey("test_sk_child").webhookUrl(receiver.url())
                    .webhookSecret("whsec_child").webhookRetryDelays(Duration.ofMillis(50)).build();
            SandboxProcess child = SandboxProcess.start(settings, log, Duration.ofSeconds(30));
            try (Api api = new Api("http://127.0.0.1:" + child.port(), "test_sk_child")) {
                assertTrue(child.port() > 0);
                assertEquals("http://localhost:" + child.port(), child.baseUrl());
                HttpResponse<String> paid = api.postForm("/checkout/pay", Map.of("orderId", "order-c001",
                        "amount", "1000", "orderName", "Premium", "successUrl", "http://127.0.0.1:9/ok",
                        "failUrl", "http://127.0.0.1:9/fail"));
                assertEquals(303, paid.statusCode());
                String paymentKey = Api.query(paid.headers().firstValue("Location").orElseThrow()).get("paymentKey");
                HttpResponse<String> confirmed = api.post("/v1/payments/confirm", "{\"paymentKey\":\"" + paymentKey
                        + "\",\"orderId\":\"order-c001\",\"amount\":1000}");
                assertEquals(200, confirmed.statusCode(), confirmed.body());
                List<WebhookReceiver.Received> received = receiver.await(1, Duration.ofSeconds(10));
                assertTrue(WebhookSignature.verify("whsec_child", received.getFirst().signature(),
                        received.getFirst().transmissionTime(), received.getFirst().body()));
            } finally {
                child.close();
            }
            assertFalse(child.process().isAlive());
        }
        String output = Files.readString(log);
        assertTrue(output.contains("payment-sandbox listening on"), output);
        assertFalse(output.contains("whsec_child"), "no secret in the log");
    }

    @Test
    void aTakenPortFailsTheStartWithTheLog() throws Exception {
        try (SandboxProvider inTheWay = SandboxProvider.start(Settings.builder().secretKey("k").build())) {
            Settings settings = Settings.builder().secretKey("k").port(inTheWay.port()).build();
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> SandboxProcess.start(settings, dir.resolve("taken.log"), Duration.ofSeconds(30)));
            assertTrue(failure.getMessage().contains("exited"), failure.getMessage());
            assertTrue(failure.getMessage().contains("BindException"), failure.getMessage());
        }
    }
}

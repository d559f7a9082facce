package io.pawfiler.payment.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.pawfiler.paymentsandbox.SandboxProvider;
import io.pawfiler.paymentsandbox.Settings;

/**
 * Runs after {@code RealInfrastructure}: the sandbox provider (Toss Payments' API on loopback) must know the
 * service's webhook URL before the service starts, so the port is chosen up front; the service gets the sandbox's
 * address and freshly made keys.
 */
public class PaymentServiceSetup implements BeforeAllCallback {

    static final String PORT_PROPERTY = "pawfiler.test.payment-port";
    static final String SECRET_KEY = "test_sk_" + UUID.randomUUID().toString().replace("-", "");
    static final String WEBHOOK_SECRET = "whsec_" + UUID.randomUUID();
    static SandboxProvider sandbox;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        int port = freePort();
        System.setProperty(PORT_PROPERTY, String.valueOf(port));
        sandbox = SandboxProvider.start(Settings.builder().port(0).secretKey(SECRET_KEY)
                .webhookUrl("http://127.0.0.1:" + port + "/payments/webhooks/toss").webhookSecret(WEBHOOK_SECRET)
                .webhookRetryDelays(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800))
                .build());
        System.setProperty("pawfiler.payment.toss.base-url", sandbox.baseUrl());
        System.setProperty("pawfiler.payment.toss.secret-key", SECRET_KEY);
        System.setProperty("pawfiler.payment.toss.webhook-secret", WEBHOOK_SECRET);
        System.setProperty("pawfiler.payment.toss.checkout-url", sandbox.checkoutUrl());
        // the tests run the jobs themselves (PaymentJobs.runOnce), and checkouts go stale quickly
        System.setProperty("pawfiler.payment.jobs.interval", "PT1H");
        System.setProperty("pawfiler.payment.checkout-ttl", "PT2S");
        context.getStore(ExtensionContext.Namespace.create(PaymentServiceSetup.class)).put("payment-sandbox",
                (ExtensionContext.Store.CloseableResource) sandbox::close);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

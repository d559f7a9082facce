package io.pawfiler.payment.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.payment.domain.ProviderStatus;
import io.pawfiler.payment.domain.WebhookSignature;
import io.pawfiler.payment.provider.PaymentProvider;
import io.pawfiler.payment.provider.ProviderPayment;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.json.Jsons;

/**
 * The provider's webhooks. Authenticated by their signature (HMAC-SHA256 over time + body, 5-minute window),
 * applied once per provider event id, and through the same {@link Ledger} as ConfirmPayment. Deliveries may come
 * late, twice or out of order, so a webhook is only a hint: the payment's current state is looked up at the provider
 * and that is what gets applied.
 */
@ApplicationScoped
public class Webhooks {

    private static final System.Logger LOG = System.getLogger(Webhooks.class.getName());

    /** What was done with a delivery. */
    public enum Outcome { APPLIED, DUPLICATE, IGNORED }

    @Inject
    PaymentProvider provider;

    @Inject
    Ledger ledger;

    private final byte[] secret;
    private final Clock clock = Clock.systemUTC();

    @Inject
    Webhooks(@ConfigProperty(name = "pawfiler.payment.toss.webhook-secret") Optional<String> secret) {
        // unset: no signature verifies, every webhook is refused (reconciliation still settles payments)
        this.secret = secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (this.secret == null) {
            LOG.log(System.Logger.Level.WARNING, "pawfiler.payment.toss.webhook-secret is not set: webhooks are refused");
        }
    }

    /**
     * @throws ApiException UNAUTHENTICATED for a missing, forged or stale signature (nothing is changed)
     */
    public Outcome receive(String providerName, String eventId, String transmissionTime, String signature, String body) {
        if (!provider.name().equals(providerName)) {
            throw ApiException.notFound("no payment provider " + providerName);
        }
        if (secret == null || !WebhookSignature.verify(secret, transmissionTime, body, signature, clock.instant())) {
            throw ApiException.unauthenticated("the webhook's signature is missing, wrong or outside the replay window");
        }
        if (eventId == null || eventId.isBlank() || eventId.length() > 100) {
            throw ApiException.invalidArgument("Tosspayments-Webhook-Transmission-Id", "is required");
        }
        JsonObject data;
        try {
            data = Jsons.parseObject(body).getJsonObject("data");
        } catch (RuntimeException e) {
            throw ApiException.invalidArgument("data", "is not a payment");
        }
        if (data == null || data.getString("orderId", "").isBlank() || data.getString("paymentKey", "").isBlank()) {
            throw ApiException.invalidArgument("data", "needs orderId and paymentKey");
        }
        String orderId = data.getString("orderId");
        String paymentKey = data.getString("paymentKey");
        if (!ledger.exists(orderId)) {
            LOG.log(System.Logger.Level.INFO, "webhook " + eventId + " for unknown order " + orderId + " ignored");
            return Outcome.IGNORED;
        }
        // the provider's current view, not the delivery's (which may be older than one already applied)
        ProviderPayment current;
        try {
            current = provider.find(paymentKey).orElseGet(() -> fromBody(data));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // the provider retries the delivery; nothing was recorded
            throw ApiException.unavailable("the payment provider could not be asked for the payment's state",
                    java.time.Duration.ofSeconds(5));
        }
        if (!current.orderId().equals(orderId)) {
            throw ApiException.invalidArgument("data", "the payment belongs to another order");
        }
        Optional<Ledger.Applied> applied = ledger.applyOnce(provider.name(), eventId, orderId, current);
        if (applied.isEmpty()) {
            return Outcome.DUPLICATE;
        }
        if (applied.get().amountMismatch()) {
            LOG.log(System.Logger.Level.WARNING, "payment " + current.paymentKey() + " of order " + orderId
                    + " does not match the order's amount: not granted; cancel it at the provider");
        }
        return Outcome.APPLIED;
    }

    private static ProviderPayment fromBody(JsonObject data) {
        return new ProviderPayment(data.getString("paymentKey"), data.getString("orderId"),
                ProviderStatus.parse(data.getString("status", "")).orElseThrow(() ->
                        ApiException.invalidArgument("data", "has no known status")),
                data.containsKey("totalAmount") ? data.getJsonNumber("totalAmount").longValue() : -1,
                data.containsKey("balanceAmount") ? data.getJsonNumber("balanceAmount").longValue() : 0,
                data.getString("currency", "KRW"), Optional.empty());
    }
}

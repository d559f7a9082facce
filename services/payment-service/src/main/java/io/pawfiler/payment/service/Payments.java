package io.pawfiler.payment.service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.provider.PaymentProvider;
import io.pawfiler.payment.provider.ProviderException;
import io.pawfiler.payment.provider.ProviderPayment;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.security.Caller;

/**
 * Checkout and confirmation (Toss Payments' server-side flow): CreateCheckout opens a PENDING transaction (its id is
 * the provider's orderId) for the plan's server-side price and returns the provider's checkout URL; after paying, the
 * client passes paymentKey, orderId and amount to ConfirmPayment, which has the provider approve the payment before
 * anything is granted. No database transaction is held open across a provider call.
 */
@ApplicationScoped
public class Payments {

    private static final System.Logger LOG = System.getLogger(Payments.class.getName());

    /** A checkout as the client sees it. */
    public record Checkout(PaymentStore.TransactionRow transaction, Plan plan, String checkoutUrl,
                           Optional<PaymentStore.SubscriptionRow> subscription) {
    }

    /** A confirmation's outcome. */
    public record Confirmation(PaymentStore.TransactionRow transaction, Optional<PaymentStore.SubscriptionRow> subscription) {
    }

    @Inject
    PaymentStore store;

    @Inject
    PaymentProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    @ConfigProperty(name = "pawfiler.payment.checkout-ttl", defaultValue = "PT30M")
    Duration checkoutTtl;

    @Inject
    @ConfigProperty(name = "pawfiler.payment.default-return-url", defaultValue = "http://localhost:5173/payment/result")
    String defaultReturnUrl;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public List<Plan> plans() {
        return store.plans();
    }

    /**
     * One transaction per (user, idempotency key): a retry, concurrent or not, returns the first one. Without a key
     * every call opens a new checkout.
     */
    @Transactional
    public Checkout checkout(String userId, String planId, String idempotencyKey, String returnUrl) {
        if (planId == null || planId.isBlank()) {
            throw ApiException.invalidArgument("plan_id", "is required (see GetPlans)");
        }
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey.strip();
        if (key.length() > 100) {
            throw ApiException.invalidArgument("idempotency_key", "must be at most 100 characters");
        }
        String back = returnUrl == null || returnUrl.isBlank() ? defaultReturnUrl : checkedReturnUrl(returnUrl.strip());
        Plan plan = store.plan(planId.strip()).orElseThrow(() -> ApiException.notFound("no plan " + planId));
        Instant now = clock.instant();
        PaymentStore.TransactionRow transaction = store.openTransaction(UUID.randomUUID().toString(), userId, plan,
                provider.name(), key, now, now.plus(checkoutTtl));
        if (!transaction.planId().equals(plan.id())) {
            throw ApiException.invalidArgument("idempotency_key", "was used for a checkout of plan " + transaction.planId());
        }
        String url = transaction.status() == PaymentStatus.PENDING
                ? provider.checkoutUrl(new PaymentProvider.CheckoutOrder(transaction.id(), plan.name(), transaction.amount(),
                transaction.currency(), userId, withQuery(back, "result=success"), withQuery(back, "result=fail")))
                : "";
        return new Checkout(transaction, plan, url, store.subscription(userId));
    }

    /**
     * Has the provider approve the payment, then applies it. Idempotent: a completed transaction is answered as it
     * is to the same confirmation (same amount and payment key; any other is INVALID_ARGUMENT). A wrong amount is refused (INVALID_ARGUMENT) and the payment cancelled at the provider; the provider's
     * refusal fails the transaction; the provider unreachable leaves it PENDING (reconciliation settles it).
     */
    public Confirmation confirm(Caller caller, String transactionId, String paymentKey, long amount) {
        if (transactionId == null || transactionId.isBlank()) {
            throw ApiException.invalidArgument("transaction_id", "is required (the orderId)");
        }
        if (paymentKey == null || paymentKey.isBlank() || paymentKey.length() > 200) {
            throw ApiException.invalidArgument("provider_payment_key", "is required (the provider's paymentKey)");
        }
        PaymentStore.TransactionRow transaction = ledger.read(transactionId);
        if (!transaction.userId().equals(caller.userId()) && !caller.isAdmin()) {
            throw ApiException.permissionDenied("transaction " + transactionId + " is not yours");
        }
        if (transaction.status() == PaymentStatus.COMPLETED) {
            // a replay is the same confirmation: another amount or payment is a mistake to report, and changes nothing
            if (amount != transaction.amount()) {
                throw ApiException.invalidArgument("amount", "must equal the order's amount " + transaction.amount()
                        + " " + transaction.currency());
            }
            if (transaction.providerPaymentKey() != null && !transaction.providerPaymentKey().equals(paymentKey)) {
                throw ApiException.invalidArgument("provider_payment_key",
                        "transaction " + transactionId + " was paid with another payment");
            }
            return new Confirmation(transaction, ledger.subscription(transaction.userId()));
        }
        if (transaction.status() != PaymentStatus.PENDING) {
            throw new ApiException(ErrorKind.FAILED_PRECONDITION, "transaction_id",
                    "transaction " + transactionId + " is " + transaction.status(), null);
        }
        if (amount != transaction.amount()) {
            ledger.fail(transactionId, paymentKey, Ledger.AMOUNT_MISMATCH + ": confirmed " + amount + ", the order is "
                    + transaction.amount());
            cancelQuietly(paymentKey, "amount does not match the order", transactionId);
            throw ApiException.invalidArgument("amount", "must equal the order's amount " + transaction.amount() + " "
                    + transaction.currency());
        }
        ProviderPayment payment;
        try {
            payment = provider.confirm(paymentKey, transactionId, transaction.amount(), "confirm-" + transactionId);
        } catch (ProviderException e) {
            if ("ALREADY_PROCESSED_PAYMENT".equals(e.code())) {
                payment = provider.find(paymentKey).orElseThrow(() -> unavailable(e));
            } else if (e.retryable()) {
                throw unavailable(e);
            } else {
                return new Confirmation(ledger.fail(transactionId, paymentKey, "provider: " + e.code() + ": " + e.getMessage()),
                        ledger.subscription(transaction.userId()));
            }
        } catch (RuntimeException e) {
            // timeout, circuit open, bulkhead full: the outcome is unknown, so nothing is decided here
            throw ApiException.unavailable("the payment provider did not answer; the payment is checked again shortly",
                    Duration.ofSeconds(5));
        }
        if (!payment.orderId().equals(transactionId)) {
            cancelQuietly(paymentKey, "payment belongs to another order", transactionId);
            throw ApiException.invalidArgument("provider_payment_key", "belongs to another order");
        }
        Ledger.Applied applied = ledger.apply(transactionId, payment);
        if (applied.amountMismatch()) {
            cancelQuietly(paymentKey, "amount does not match the order", transactionId);
            throw ApiException.invalidArgument("amount", "the payment's amount does not match the order's");
        }
        return new Confirmation(applied.transaction(), applied.subscription());
    }

    void cancelQuietly(String paymentKey, String reason, String transactionId) {
        try {
            provider.cancel(paymentKey, reason, "cancel-" + transactionId);
        } catch (RuntimeException e) {
            // an authorisation never confirmed lapses at the provider by itself
            LOG.log(System.Logger.Level.WARNING, "could not cancel payment " + paymentKey + " of " + transactionId
                    + " at the provider: " + e.getMessage());
        }
    }

    private static ApiException unavailable(ProviderException e) {
        return ApiException.unavailable("the payment provider is unavailable (" + e.code()
                + "); the payment is checked again shortly", Duration.ofSeconds(5));
    }

    private static String checkedReturnUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null && url.length() <= 2048) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.invalidArgument("return_url", "must be an absolute http(s) URL");
    }

    private static String withQuery(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }
}

package io.pawfiler.payment.provider;

import java.util.Optional;

/**
 * A payment service provider's server side. {@link TossPayments} speaks Toss Payments' API; Stripe or another can
 * implement this too. Calls are idempotent by the key given (the provider's idempotency header), so a retry after
 * a timeout never charges or refunds twice.
 */
public interface PaymentProvider {

    /** The name stored with transactions and used in the webhook path, e.g. {@code toss}. */
    String name();

    /** Where the buyer pays for this order; the provider then sends the browser to successUrl or failUrl. */
    String checkoutUrl(CheckoutOrder order);

    /** Approves a payment the buyer authorised on the checkout page. */
    ProviderPayment confirm(String paymentKey, String orderId, long amount, String idempotencyKey);

    /** Cancels (refunds, once approved) the whole payment. */
    ProviderPayment cancel(String paymentKey, String reason, String idempotencyKey);

    /** The payment made for an order, if the buyer got that far. */
    Optional<ProviderPayment> findByOrder(String orderId);

    Optional<ProviderPayment> find(String paymentKey);

    /** An order as the checkout page shows it. */
    record CheckoutOrder(String orderId, String orderName, long amount, String currency, String customerKey,
                         String successUrl, String failUrl) {
    }
}

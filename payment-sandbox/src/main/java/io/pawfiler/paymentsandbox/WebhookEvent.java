package io.pawfiler.paymentsandbox;

/**
 * One {@code PAYMENT_STATUS_CHANGED} event the sandbox produced, whatever became of it.
 *
 * @param transmissionId {@code Tosspayments-Webhook-Transmission-Id}: the same for every attempt (and copy) of it
 * @param createdAt      the body's {@code createdAt}
 * @param paymentStatus  the payment's status it announces
 * @param state          what became of it
 * @param copies         how many copies are (or were) sent: 2 when it was duplicated on purpose
 * @param body           the exact body sent
 */
public record WebhookEvent(String transmissionId, String eventType, String createdAt, String paymentKey,
                           String orderId, PaymentStatus paymentStatus, State state, int copies, String body) {

    public enum State {
        /** Being sent or waiting for a retry. */
        PENDING,
        /** Parked by {@link SandboxProvider#holdWebhooks()} until {@link SandboxProvider#releaseHeldWebhooks}. */
        HELD,
        /** Thrown away on purpose ({@link SandboxProvider#dropNextWebhooks}): never sent. */
        DROPPED,
        /** No webhook URL is configured: never sent. */
        NOT_SENT,
        /** Every copy got a 2xx. */
        DELIVERED,
        /** Some copy got no 2xx in all its attempts; the sandbox gave up. */
        FAILED
    }
}

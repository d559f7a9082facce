package io.pawfiler.paymentsandbox;

import java.time.Instant;

/**
 * One HTTP attempt to deliver a webhook.
 *
 * @param attempt          1 for the first try of this copy, 2 for its first retry, ...
 * @param copy             1, or 2 for the second copy of a duplicated event
 * @param transmissionTime the {@code Tosspayments-Webhook-Transmission-Time} header (unix seconds) it carried
 * @param httpStatus       the receiver's status code; -1 if there was no HTTP answer (see {@code error})
 * @param error            why there was no answer (connection refused, timeout), else null
 */
public record WebhookDelivery(String transmissionId, String paymentKey, String orderId, PaymentStatus paymentStatus,
                              int copy, int attempt, long transmissionTime, int httpStatus, String error,
                              Instant finishedAt) {

    /** The receiver accepted it (2xx). */
    public boolean succeeded() {
        return httpStatus >= 200 && httpStatus < 300;
    }
}

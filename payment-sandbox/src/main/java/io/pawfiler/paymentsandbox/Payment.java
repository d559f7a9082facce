package io.pawfiler.paymentsandbox;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * A snapshot of one payment: the fields tests look at most, and {@link #json()}, the whole Payment object exactly as
 * the HTTP API and the webhooks carry it.
 */
public record Payment(String paymentKey, String orderId, String orderName, PaymentStatus status, long totalAmount,
                      long balanceAmount, OffsetDateTime requestedAt, OffsetDateTime approvedAt, List<Cancel> cancels,
                      JsonObject json) {

    public Payment {
        cancels = List.copyOf(cancels);
    }

    /** One entry of {@code cancels[]}. */
    public record Cancel(String transactionKey, long cancelAmount, String cancelReason, OffsetDateTime canceledAt,
                         long refundableAmount) {
    }
}

package io.pawfiler.paymentsandbox;

/** The Toss payment statuses the sandbox uses (Toss also has READY and WAITING_FOR_DEPOSIT). */
public enum PaymentStatus {
    /** The customer authorized it on the checkout page; the merchant has not confirmed it yet. */
    IN_PROGRESS,
    /** Confirmed (approved): the money is taken. */
    DONE,
    /** Fully cancelled (refunded, or an authorization that was never confirmed). */
    CANCELED,
    /** Partly refunded: {@code balanceAmount} is what is left. */
    PARTIAL_CANCELED,
    /** The approval failed. */
    ABORTED,
    /** Not confirmed in time. */
    EXPIRED;

    /** No confirm, cancel or control can change it any more. */
    public boolean isFinal() {
        return this == CANCELED || this == ABORTED || this == EXPIRED;
    }
}

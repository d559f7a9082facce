package io.pawfiler.payment.domain;

/** A transaction's status in this service (the provider's own statuses are {@link ProviderStatus}). */
public enum PaymentStatus {
    /** Checkout opened; nothing paid or granted yet. */
    PENDING,
    /** Paid and confirmed: premium granted. */
    COMPLETED,
    /** Not paid: refused, aborted, expired, or the amount did not match. */
    FAILED,
    /** Cancelled at the provider before it completed. */
    CANCELED,
    /** Completed, then refunded in full: premium taken back. */
    REFUNDED
}

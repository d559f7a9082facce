package io.pawfiler.payment.domain;

/**
 * The one state machine of a transaction. ConfirmPayment, webhooks, reconciliation and refunds all feed the
 * provider's status of the payment through {@link #next}, so whichever reports first decides and the others find
 * nothing left to do: premium is granted exactly on the step into COMPLETED and taken back on the step into
 * REFUNDED.
 */
public final class PaymentLifecycle {

    /** What a provider status does to a transaction. */
    public record Step(PaymentStatus status, boolean grantsPremium, boolean revokesPremium) {

        public boolean changes(PaymentStatus from) {
            return status != from;
        }
    }

    private PaymentLifecycle() {
    }

    public static Step next(PaymentStatus current, ProviderStatus reported) {
        return switch (current) {
            case PENDING -> switch (reported) {
                case DONE -> new Step(PaymentStatus.COMPLETED, true, false);
                case CANCELED, PARTIAL_CANCELED -> stay(PaymentStatus.CANCELED);
                case ABORTED, EXPIRED -> stay(PaymentStatus.FAILED);
                case READY, IN_PROGRESS, WAITING_FOR_DEPOSIT -> stay(PaymentStatus.PENDING);
            };
            // money was taken after all (e.g. a checkout given up as expired, then settled): grant it
            case FAILED -> reported == ProviderStatus.DONE ? new Step(PaymentStatus.COMPLETED, true, false) : stay(current);
            // a full cancel of a completed payment is a refund; a partial one leaves premium as it is
            case COMPLETED -> reported == ProviderStatus.CANCELED
                    ? new Step(PaymentStatus.REFUNDED, false, true) : stay(current);
            case CANCELED, REFUNDED -> stay(current);
        };
    }

    private static Step stay(PaymentStatus status) {
        return new Step(status, false, false);
    }
}

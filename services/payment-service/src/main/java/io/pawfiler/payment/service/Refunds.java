package io.pawfiler.payment.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.provider.PaymentProvider;
import io.pawfiler.payment.provider.ProviderException;
import io.pawfiler.payment.provider.ProviderPayment;
import io.pawfiler.platform.errors.ApiException;

/**
 * Full refunds (admins): the provider cancels the payment first (idempotently, by the transaction's key), then the
 * Ledger steps the transaction to REFUNDED, shortens the subscription and publishes premium.changed.
 */
@ApplicationScoped
public class Refunds {

    @Inject
    PaymentProvider provider;

    @Inject
    Ledger ledger;

    public Ledger.Applied refund(String transactionId, String reason) {
        var transaction = ledger.read(transactionId);
        if (transaction.status() == PaymentStatus.REFUNDED) {
            return new Ledger.Applied(transaction, ledger.subscription(transaction.userId()), false);
        }
        if (transaction.status() != PaymentStatus.COMPLETED) {
            throw ApiException.failedPrecondition("only a COMPLETED transaction can be refunded; " + transactionId
                    + " is " + transaction.status());
        }
        String why = reason == null || reason.isBlank() ? "refund" : reason.strip();
        if (why.length() > 200) {
            throw ApiException.invalidArgument("reason", "must be at most 200 characters");
        }
        ProviderPayment cancelled;
        try {
            cancelled = provider.cancel(transaction.providerPaymentKey(), why, "refund-" + transactionId);
        } catch (ProviderException e) {
            if (e.retryable()) {
                throw ApiException.unavailable("the payment provider is unavailable; retry the refund", Duration.ofSeconds(5));
            }
            throw ApiException.failedPrecondition("the provider refused the refund: " + e.code() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw ApiException.unavailable("the payment provider did not answer; retry the refund", Duration.ofSeconds(5));
        }
        return ledger.apply(transactionId, cancelled);
    }
}

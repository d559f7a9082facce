package io.pawfiler.payment.provider;

import java.time.Instant;
import java.util.Optional;

import io.pawfiler.payment.domain.ProviderStatus;

/** A payment as the provider reports it. */
public record ProviderPayment(String paymentKey, String orderId, ProviderStatus status, long totalAmount,
                              long balanceAmount, String currency, Optional<Instant> approvedAt) {
}

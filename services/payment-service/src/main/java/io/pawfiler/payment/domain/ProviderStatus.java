package io.pawfiler.payment.domain;

import java.util.Optional;

/** A payment's status as the provider reports it (Toss Payments' names). */
public enum ProviderStatus {
    READY, IN_PROGRESS, WAITING_FOR_DEPOSIT, DONE, CANCELED, PARTIAL_CANCELED, ABORTED, EXPIRED;

    public static Optional<ProviderStatus> parse(String value) {
        try {
            return Optional.of(valueOf(value));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}

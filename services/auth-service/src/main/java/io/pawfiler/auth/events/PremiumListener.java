package io.pawfiler.auth.events;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.auth.service.AccountService;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;

/**
 * payment.completed and premium.changed → the user's paid period, so tokens issued from then on carry the
 * {@code premium} group while it lasts. Both carry payment-service's new premium_until; whichever payment-service made
 * last wins (see {@link io.pawfiler.auth.domain.PremiumChanges}), whatever order they are read in.
 */
@ApplicationScoped
public class PremiumListener {

    private static final System.Logger LOGGER = System.getLogger(PremiumListener.class.getName());

    @Inject
    EventConsumer events;

    @Inject
    AccountService accounts;

    @Incoming("payment-completed")
    public CompletionStage<Void> onPaymentCompleted(Message<String> message) {
        return events.consume(message, "auth.premium", EventType.PAYMENT_COMPLETED, this::recordPayment);
    }

    @Incoming("premium-changed")
    public CompletionStage<Void> onPremiumChanged(Message<String> message) {
        return events.consume(message, "auth.premium-changed", EventType.PREMIUM_CHANGED, this::recordChange);
    }

    private void recordPayment(CloudEvent event) {
        PaymentCompleted payment = event.dataAs(PaymentCompleted.class);
        // a payment is what grants premium: one without an end to it is a producer's bug, not "no premium"
        if (!payment.hasPremiumUntil() || payment.getUserId().isBlank()) {
            throw new IllegalArgumentException("payment.completed " + event.id() + " has no user_id or premium_until");
        }
        apply(event, payment.getUserId(), instant(payment.getPremiumUntil()),
                payment.hasCompletedAt() ? instant(payment.getCompletedAt()) : event.time());
    }

    private void recordChange(CloudEvent event) {
        PremiumChanged change = event.dataAs(PremiumChanged.class);
        if (change.getUserId().isBlank()) {
            throw new IllegalArgumentException("premium.changed " + event.id() + " has no user_id");
        }
        // unset premium_until: premium is gone (the reason does not change the effect, so any is accepted)
        apply(event, change.getUserId(), change.hasPremiumUntil() ? instant(change.getPremiumUntil()) : null,
                change.hasChangedAt() ? instant(change.getChangedAt()) : event.time());
    }

    private void apply(CloudEvent event, String userId, Instant premiumUntil, Instant changedAt) {
        switch (accounts.changePremium(userId, premiumUntil, changedAt)) {
            case APPLIED -> LOGGER.log(System.Logger.Level.DEBUG, () -> event.type().typeName() + " " + event.id()
                    + ": premium of " + userId + " until " + premiumUntil);
            case SUPERSEDED -> LOGGER.log(System.Logger.Level.INFO, () -> event.type().typeName() + " " + event.id()
                    + " of " + changedAt + " is older than the premium change applied to " + userId + "; ignored");
            // Not an error worth a dead letter: the account may have been deleted since it paid.
            case UNKNOWN_USER -> LOGGER.log(System.Logger.Level.WARNING, event.type().typeName() + " " + event.id()
                    + " for unknown user " + userId + " ignored");
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}

package io.pawfiler.auth.events;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.auth.service.AccountService;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;

/** payment.completed → the user's paid period, so tokens issued from then on carry the {@code premium} group. */
@ApplicationScoped
public class PremiumListener {

    private static final System.Logger LOGGER = System.getLogger(PremiumListener.class.getName());

    @Inject
    EventConsumer events;

    @Inject
    AccountService accounts;

    @Incoming("payment-completed")
    public CompletionStage<Void> onPaymentCompleted(Message<String> message) {
        return events.consume(message, "auth.premium", EventType.PAYMENT_COMPLETED, this::recordPremium);
    }

    private void recordPremium(CloudEvent event) {
        PaymentCompleted payment = event.dataAs(PaymentCompleted.class);
        if (!payment.hasPremiumUntil() || payment.getUserId().isBlank()) {
            throw new IllegalArgumentException("payment.completed " + event.id() + " has no user_id or premium_until");
        }
        Instant until = Instant.ofEpochSecond(payment.getPremiumUntil().getSeconds(), payment.getPremiumUntil().getNanos());
        if (!accounts.extendPremium(payment.getUserId(), until)) {
            // Not an error worth a dead letter: the account may have been deleted since it paid.
            LOGGER.log(System.Logger.Level.WARNING, "payment.completed " + event.id() + " for unknown user "
                    + payment.getUserId() + " ignored");
        }
    }
}

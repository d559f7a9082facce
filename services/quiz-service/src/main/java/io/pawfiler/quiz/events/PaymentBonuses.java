package io.pawfiler.quiz.events;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;
import io.pawfiler.quiz.service.Rewards;

/**
 * payment.completed → the plan's bonus_coins credited once per payment_id, then xp.earned. Premium itself is
 * auth-service's business; a payment that makes no sense here (see {@link Rewards#creditPaymentBonus}) goes to
 * payment.completed.dlq.
 */
@ApplicationScoped
public class PaymentBonuses {

    private static final System.Logger LOGGER = System.getLogger(PaymentBonuses.class.getName());

    @Inject
    EventConsumer events;

    @Inject
    Rewards rewards;

    @Incoming("payment-completed")
    public CompletionStage<Void> onPaymentCompleted(Message<String> message) {
        return events.consume(message, "quiz.payment-bonus", EventType.PAYMENT_COMPLETED, this::credit);
    }

    private void credit(CloudEvent event) {
        PaymentCompleted payment = event.dataAs(PaymentCompleted.class);
        if (!rewards.creditPaymentBonus(payment, event.time())) {
            // no bonus, or another event carrying the same payment_id (the inbox only knows event ids)
            LOGGER.log(System.Logger.Level.DEBUG, () -> "payment.completed " + event.id() + ": no bonus coins for "
                    + payment.getPaymentId() + " to credit");
        }
    }
}

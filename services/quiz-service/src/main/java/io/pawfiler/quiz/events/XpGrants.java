package io.pawfiler.quiz.events;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.XpGranted;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.inbox.EventConsumer;
import io.pawfiler.quiz.service.Rewards;

/**
 * xp.granted → XP and coins credited to the player once per grant_id, then xp.earned. A grant that makes no sense
 * (see {@link Rewards#credit}) goes to xp.granted.dlq.
 */
@ApplicationScoped
public class XpGrants {

    private static final System.Logger LOGGER = System.getLogger(XpGrants.class.getName());

    @Inject
    EventConsumer events;

    @Inject
    Rewards rewards;

    @Incoming("xp-granted")
    public CompletionStage<Void> onXpGranted(Message<String> message) {
        return events.consume(message, "quiz.credit-xp", EventType.XP_GRANTED, this::credit);
    }

    private void credit(CloudEvent event) {
        XpGranted grant = event.dataAs(XpGranted.class);
        if (!rewards.credit(grant)) {
            // another event carrying the same grant_id (the inbox only knows event ids)
            LOGGER.log(System.Logger.Level.DEBUG, () -> "xp.granted " + event.id() + ": grant " + grant.getGrantId()
                    + " was credited before");
        }
    }
}

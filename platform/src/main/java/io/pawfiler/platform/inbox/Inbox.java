package io.pawfiler.platform.inbox;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.pawfiler.platform.events.CloudEvent;

/**
 * Idempotent consumption: an event's effect and the record "consumer X applied event Y" commit together,
 * so a redelivered event finds its record and is skipped. Concurrent deliveries of one event serialise on
 * the primary key; only one of them applies the effect.
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager entityManager;

    /**
     * Applies {@code effect} once per (consumer, event id), in a new transaction.
     *
     * @return true if the effect ran now, false if this consumer had already applied the event
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean applyOnce(String consumer, CloudEvent event, Consumer<CloudEvent> effect) {
        int claimed = entityManager.createNativeQuery(
                        "INSERT INTO inbox_event (consumer, event_id, event_type) VALUES (?1, ?2, ?3) "
                                + "ON CONFLICT (consumer, event_id) DO NOTHING")
                .setParameter(1, consumer)
                .setParameter(2, event.id())
                .setParameter(3, event.type().typeName())
                .executeUpdate();
        if (claimed == 0) {
            return false;
        }
        effect.accept(event);
        return true;
    }
}

package io.pawfiler.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;

/**
 * Records an event in the caller's transaction. It reaches Kafka only if that transaction commits;
 * the relay is woken right after the commit, so publishing adds milliseconds, not a polling interval.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    EntityManager entityManager;

    private final Event<OutboxWritten> written;
    private final String source;
    private final Clock clock = Clock.systemUTC();

    @Inject
    Outbox(Event<OutboxWritten> written, @ConfigProperty(name = "pawfiler.service.name") String serviceName) {
        this.written = written;
        this.source = "/" + serviceName;
    }

    /**
     * Adds an event to the current transaction.
     *
     * @param type    event type (= topic)
     * @param subject the user the event is about (Kafka key, keeps per-user order)
     * @param data    payload message from {@code events.proto}
     * @return the recorded CloudEvent
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(EventType type, String subject, Message data) {
        Instant now = clock.instant();
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), source, type, now, subject, data);
        entityManager.persist(new OutboxMessage(event.id(), type.typeName(), subject, CloudEventCodec.encode(event), now));
        written.fire(OutboxWritten.INSTANCE);
        return event;
    }

    /** Fired inside the writing transaction; the relay observes it after a successful commit. */
    public enum OutboxWritten {
        INSTANCE
    }
}

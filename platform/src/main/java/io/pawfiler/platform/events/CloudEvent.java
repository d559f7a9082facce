package io.pawfiler.platform.events;

import java.time.Instant;
import java.util.Objects;

import com.google.protobuf.Message;

/**
 * A decoded CloudEvents 1.0 envelope with its typed payload.
 *
 * @param id      unique event id (UUID); consumers deduplicate on it
 * @param source  producing service, e.g. {@code /quiz-service}
 * @param type    the event type (= topic)
 * @param time    when the producer recorded the change
 * @param subject the user the event is about; also the Kafka record key
 * @param data    the payload, a message of {@code events.proto}
 */
public record CloudEvent(String id, String source, EventType type, Instant time, String subject, Message data) {

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
        if (!type.payloadPrototype().getDescriptorForType().equals(data.getDescriptorForType())) {
            throw new IllegalArgumentException("payload " + data.getDescriptorForType().getFullName()
                    + " does not belong to event type " + type.typeName());
        }
    }

    /** The payload as its concrete message class. */
    public <T extends Message> T dataAs(Class<T> payloadClass) {
        return payloadClass.cast(data);
    }
}

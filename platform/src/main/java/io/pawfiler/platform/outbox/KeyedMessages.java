package io.pawfiler.platform.outbox;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Makes the Reactive Messaging message for one outbox record. MicroProfile Reactive Messaging has no portable way to
 * give a Kafka record its key or headers (each connector reads its own metadata), so the runtime's glue provides this
 * bean: platform-helidon's {@code HelidonKafkaMessages} builds Helidon's {@code KafkaMessage}, platform-liberty's
 * {@code LibertyKafkaMessages} a message whose payload is a Kafka {@code ProducerRecord}.
 */
public interface KeyedMessages {

    /**
     * @param topic   the topic the record goes to
     * @param key     the record key (the event's subject: per-key order)
     * @param payload the record value
     * @param headers record headers, each value written as UTF-8 bytes
     * @param ack     called once the broker acknowledged the record
     */
    Message<?> create(String topic, String key, String payload, Map<String, String> headers,
                           Supplier<CompletionStage<Void>> ack);
}

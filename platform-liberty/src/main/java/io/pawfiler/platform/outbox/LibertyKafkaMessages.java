package io.pawfiler.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Outbox records for Open Liberty's {@code liberty-kafka} connector: it sends a message whose payload is a Kafka
 * {@link ProducerRecord} as that record, key and headers included (any other payload becomes a record without a key).
 */
@ApplicationScoped
public class LibertyKafkaMessages implements KeyedMessages {

    @Override
    public Message<?> create(String topic, String key, String payload, Map<String, String> headers,
                             Supplier<CompletionStage<Void>> ack) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return Message.of(new ProducerRecord<>(topic, null, key, payload, recordHeaders), ack);
    }
}

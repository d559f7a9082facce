package io.pawfiler.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.helidon.messaging.connectors.kafka.KafkaMessage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Outbox records for Helidon's Kafka connector ({@code helidon-kafka}): its {@link KafkaMessage} carries key and headers. */
@ApplicationScoped
public class HelidonKafkaMessages implements KeyedMessages {

    @Override
    public Message<?> create(String topic, String key, String payload, Map<String, String> headers,
                                  Supplier<CompletionStage<Void>> ack) {
        KafkaMessage<String, String> message = KafkaMessage.of(key, payload, ack);
        headers.forEach((name, value) -> message.getHeaders().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return message;
    }
}

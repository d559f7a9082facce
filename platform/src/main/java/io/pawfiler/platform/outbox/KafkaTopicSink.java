package io.pawfiler.platform.outbox;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.OutgoingConnectorFactory;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Subscriber;

import io.pawfiler.platform.events.CloudEventCodec;

/**
 * One Kafka topic, reached through the MicroProfile Reactive Messaging Kafka connector's subscriber.
 * The relay owns the stream instead of a static {@code @Channel}, so one generic relay serves every event type
 * and can rebuild a stream the connector gave up on (Helidon's subscriber cancels itself after a send error).
 */
final class KafkaTopicSink implements TopicSink {

    private static final System.Logger LOGGER = System.getLogger(KafkaTopicSink.class.getName());

    private final String topic;
    private final KeyedMessages messages;
    private final ExecutorService deliveryThread;
    private final SubmissionPublisher<Message<?>> publisher;
    private volatile boolean abandoned;

    @SuppressWarnings({"unchecked", "rawtypes"})
    KafkaTopicSink(String topic, OutgoingConnectorFactory connector, KeyedMessages messages, Config channelConfig,
                   int window) {
        this.topic = topic;
        this.messages = messages;
        this.deliveryThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-" + topic);
            thread.setDaemon(true);
            return thread;
        });
        this.publisher = new SubmissionPublisher<>(deliveryThread, window);
        Subscriber subscriber = connector.getSubscriberBuilder(channelConfig).build();
        FlowAdapters.toPublisher(publisher).subscribe(subscriber);
    }

    @Override
    public Optional<CompletableFuture<Void>> send(String key, String cloudEventJson, long offerTimeoutMillis) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<?> message = messages.create(topic, key, cloudEventJson,
                Map.of("content-type", CloudEventCodec.CONTENT_TYPE), () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                });
        int lag = publisher.offer(message, offerTimeoutMillis, TimeUnit.MILLISECONDS, (subscriber, dropped) -> false);
        return lag < 0 ? Optional.empty() : Optional.of(acked);
    }

    /** False once the connector cancelled the stream (a send failed) or the relay abandoned it. */
    @Override
    public boolean alive() {
        return !publisher.isClosed() && publisher.hasSubscribers();
    }

    /**
     * Completes the stream and leaves the connector to close its producer in the background: the producer finishes
     * or expires what it holds ({@code delivery.timeout.ms}) and then closes, while the relay goes on with a new one.
     */
    @Override
    public void abandon() {
        abandoned = true;
        publisher.close();
        deliveryThread.shutdown();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        // Completing the stream makes the connector flush and close its producer.
        publisher.close();
        deliveryThread.shutdown();
        if (abandoned) {
            return; // its producer may still be draining: waiting for it is what abandoning avoids
        }
        try {
            if (!deliveryThread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOGGER.log(System.Logger.Level.WARNING, "Kafka sink for " + topic + " did not close in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

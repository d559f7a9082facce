package io.pawfiler.platform.inbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;

/**
 * What an {@code @Incoming} method delegates to:
 * <pre>{@code
 * @Incoming("user-registered")
 * CompletionStage<Void> onUserRegistered(Message<String> message) {
 *     return events.consume(message, "quiz.profiles", EventType.USER_REGISTERED, this::createProfile);
 * }
 * }</pre>
 * Decodes the CloudEvent, applies the effect at most once through the {@link Inbox}, and acknowledges.
 * A message that cannot be decoded, or whose effect keeps failing, is nacked: with the channel's
 * {@code nack-dlq=<topic>.dlq} setting the connector moves it to the dead-letter topic with the error in
 * its headers, and the consumer goes on with the next message.
 */
@ApplicationScoped
public class EventConsumer {

    private static final System.Logger LOGGER = System.getLogger(EventConsumer.class.getName());

    private final Inbox inbox;
    private final int attempts;
    private final Duration firstRetryDelay;

    @Inject
    EventConsumer(Inbox inbox,
                  @ConfigProperty(name = "pawfiler.inbox.attempts", defaultValue = "3") int attempts,
                  @ConfigProperty(name = "pawfiler.inbox.retry-delay", defaultValue = "PT0.2S") Duration firstRetryDelay) {
        this.inbox = inbox;
        this.attempts = Math.max(1, attempts);
        this.firstRetryDelay = firstRetryDelay;
    }

    /**
     * @param message  the Kafka record's value (a CloudEvent in JSON)
     * @param consumer a stable name of this effect, e.g. {@code quiz.create-profile}; the inbox key
     * @param expected the event type the channel carries
     * @param effect   the state change; runs inside the inbox transaction
     */
    public CompletionStage<Void> consume(Message<String> message, String consumer, EventType expected,
                                         Consumer<CloudEvent> effect) {
        CloudEvent event;
        try {
            event = CloudEventCodec.decode(message.getPayload());
            if (event.type() != expected) {
                throw new CloudEventCodec.MalformedEventException(
                        "expected " + expected.typeName() + " but got " + event.type().typeName());
            }
        } catch (CloudEventCodec.MalformedEventException | NullPointerException e) {
            LOGGER.log(System.Logger.Level.WARNING, () -> consumer + ": poison message sent to the dead-letter topic: "
                    + e.getMessage());
            return nack(message, e);
        }
        RuntimeException lastFailure = null;
        Duration delay = firstRetryDelay;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                boolean applied = inbox.applyOnce(consumer, event, effect);
                if (!applied) {
                    LOGGER.log(System.Logger.Level.DEBUG, () -> consumer + ": duplicate event " + event.id() + " skipped");
                }
                return message.ack();
            } catch (RuntimeException e) {
                lastFailure = e;
                LOGGER.log(System.Logger.Level.WARNING, consumer + ": attempt " + attempt + " on event " + event.id()
                        + " failed: " + e.getMessage());
                if (attempt < attempts && !sleep(delay)) {
                    break;
                }
                delay = delay.multipliedBy(2);
            }
        }
        return nack(message, lastFailure);
    }

    private static CompletionStage<Void> nack(Message<String> message, Throwable cause) {
        // The dead-letter handler writes the message into a header: never hand it a null one.
        Throwable reason = cause != null && cause.getMessage() != null
                ? cause : new IllegalStateException(String.valueOf(cause), cause);
        CompletionStage<Void> nacked = message.nack(reason);
        return nacked != null ? nacked : CompletableFuture.completedFuture(null);
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

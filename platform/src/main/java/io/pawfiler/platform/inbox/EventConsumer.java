package io.pawfiler.platform.inbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.platform.db.DatabaseAvailability;
import io.pawfiler.platform.db.DatabaseFailures;
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
 * its headers, and the consumer goes on with the next message. A failure that is the database's, not the event's
 * (connection lost, pool or statement timeout, deadlock), never dead-letters the event: it waits for the database.
 */
@ApplicationScoped
public class EventConsumer {

    private static final System.Logger LOGGER = System.getLogger(EventConsumer.class.getName());

    private static final Duration MAX_OUTAGE_WAIT = Duration.ofSeconds(5);

    private final Inbox inbox;
    private final DatabaseAvailability database;
    private final int attempts;
    private final Duration firstRetryDelay;

    @Inject
    EventConsumer(Inbox inbox, DatabaseAvailability database,
                  @ConfigProperty(name = "pawfiler.inbox.attempts", defaultValue = "3") int attempts,
                  @ConfigProperty(name = "pawfiler.inbox.retry-delay", defaultValue = "PT0.2S") Duration firstRetryDelay) {
        this.inbox = inbox;
        this.database = database;
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
        Exception lastFailure = null;
        Duration delay = firstRetryDelay;
        Duration outageWait = firstRetryDelay;
        int attempt = 1;
        while (attempt <= attempts) {
            try {
                boolean applied = inbox.applyOnce(consumer, event, effect);
                if (!applied) {
                    LOGGER.log(System.Logger.Level.DEBUG, () -> consumer + ": duplicate event " + event.id() + " skipped");
                }
                return message.ack();
            } catch (Exception e) {
                // Exception, not RuntimeException: a failed commit surfaces as JTA's checked RollbackException
                if (DatabaseFailures.isTransient(e) || database.isDown()) {
                    // Not the event's fault: hold it (and the partition behind it) until the database answers,
                    // however long that takes, without using up its attempts or sending it to the dead letters.
                    LOGGER.log(System.Logger.Level.WARNING, consumer + ": event " + event.id()
                            + " waits for the database: " + e.getMessage());
                    if (!awaitDatabase(outageWait)) {
                        // shutting down: leave the record unacknowledged, it is delivered again after the restart
                        return new CompletableFuture<>();
                    }
                    outageWait = min(outageWait.multipliedBy(2), MAX_OUTAGE_WAIT);
                    continue;
                }
                lastFailure = e;
                LOGGER.log(System.Logger.Level.WARNING, consumer + ": attempt " + attempt + " on event " + event.id()
                        + " failed: " + e.getMessage());
                if (attempt < attempts && !sleep(delay)) {
                    break;
                }
                delay = delay.multipliedBy(2);
                attempt++;
            }
        }
        return nack(message, lastFailure);
    }

    /** Waits until the database monitor sees the database up (and at least {@code pause}); false when interrupted. */
    private boolean awaitDatabase(Duration pause) {
        try {
            database.awaitUp(MAX_OUTAGE_WAIT);
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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

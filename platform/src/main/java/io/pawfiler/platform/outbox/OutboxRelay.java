package io.pawfiler.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.reactive.messaging.spi.ConnectorLiteral;
import org.eclipse.microprofile.reactive.messaging.spi.OutgoingConnectorFactory;

import io.pawfiler.platform.db.DatabaseMigration;
import io.pawfiler.platform.db.DirectConnections;

/**
 * Publishes outbox rows to Kafka in id order and marks them published only after the broker acknowledged them.
 *
 * <p>A single relay thread per service: it wakes right after any transaction that wrote to the outbox commits
 * (so the relay adds milliseconds of latency, not a polling interval), and polls at a slow idle interval as a
 * safety net. While Kafka is down the producer keeps retrying what it holds and the rows stay pending; when the
 * broker is back they go out in their original order. A row whose send failed is sent again later, so delivery
 * is at-least-once; consumers deduplicate by event id through the inbox. A producer that holds records unacknowledged
 * for longer than {@code pawfiler.outbox.send-timeout} is abandoned and its records are sent again through a new one:
 * a Kafka client can keep retrying a batch the broker will never accept (seen after a broker restart: the same
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} for minutes), and the events behind it would wait for ever. With several
 * instances of a service on one database, only the one holding the outbox lock publishes ({@link OutboxLeadership}).
 */
@ApplicationScoped
public class OutboxRelay {

    /** The runtime's Kafka connector, by name: Helidon's {@code helidon-kafka} unless the runtime's glue says otherwise. */
    static final String CONNECTOR_NAME_KEY = "pawfiler.messaging.connector";
    static final String DEFAULT_CONNECTOR = "helidon-kafka";
    private static final String OVERRIDE_PREFIX = "pawfiler.outbox.kafka.";
    private static final System.Logger LOGGER = System.getLogger(OutboxRelay.class.getName());

    private final OutboxStore store;
    private final OutboxLeadership leadership;
    private final Config config;
    private final String connectorName;
    private final String connectorPrefix;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore wakeUps = new Semaphore(0);
    private final Map<String, TopicSink> sinks = new HashMap<>();
    private Function<String, TopicSink> sinkFactory;

    private final int batchSize;
    private final Duration idlePoll;
    private final Duration maxBackoff;
    private final Duration retention;
    private final Duration linger;
    private final Duration sendTimeout;
    private final boolean enabled;

    private volatile boolean running;
    private Thread relayThread;

    @Inject
    OutboxRelay(OutboxStore store, @Any Instance<OutgoingConnectorFactory> connectors, KeyedMessages messages,
                Config config, DirectConnections connections) {
        this(store, config, connections, null);
        OutgoingConnectorFactory connector = connectors.select(ConnectorLiteral.of(connectorName)).get();
        this.sinkFactory = topic -> new KafkaTopicSink(topic, connector, messages, channelConfig(topic), batchSize * 2);
    }

    /** With sinks of the caller's making (unit tests); {@code connections} may be null without a single publisher. */
    OutboxRelay(OutboxStore store, Config config, DirectConnections connections,
                Function<String, TopicSink> sinkFactory) {
        this.store = store;
        this.config = config;
        this.sinkFactory = sinkFactory;
        this.connectorName = config.getOptionalValue(CONNECTOR_NAME_KEY, String.class).orElse(DEFAULT_CONNECTOR);
        this.connectorPrefix = "mp.messaging.connector." + connectorName + ".";
        this.enabled = config.getOptionalValue("pawfiler.outbox.enabled", Boolean.class).orElse(true);
        this.batchSize = config.getOptionalValue("pawfiler.outbox.batch-size", Integer.class).orElse(500);
        this.idlePoll = config.getOptionalValue("pawfiler.outbox.idle-poll", Duration.class).orElse(Duration.ofSeconds(1));
        this.maxBackoff = config.getOptionalValue("pawfiler.outbox.max-backoff", Duration.class).orElse(Duration.ofSeconds(10));
        this.retention = config.getOptionalValue("pawfiler.outbox.retention", Duration.class).orElse(Duration.ofDays(7));
        this.linger = config.getOptionalValue("pawfiler.outbox.linger", Duration.class).orElse(Duration.ofMillis(5));
        this.sendTimeout = config.getOptionalValue("pawfiler.outbox.send-timeout", Duration.class)
                .orElse(Duration.ofSeconds(60));
        boolean singlePublisher = config.getOptionalValue("pawfiler.outbox.single-publisher", Boolean.class).orElse(true);
        this.leadership = singlePublisher
                ? new OutboxLeadership(connections, config.getValue("pawfiler.db.schema", String.class),
                        config.getOptionalValue("pawfiler.outbox.leader-retry", Duration.class)
                                .orElse(Duration.ofSeconds(1)),
                        wakeUps::release)
                : null;
    }

    /** Starts once the schema exists: there is nothing to read before that. */
    synchronized void start(@Observes DatabaseMigration.Completed migrated) {
        if (!enabled || running) {
            return;
        }
        running = true;
        if (leadership != null) {
            leadership.start();
        }
        relayThread = new Thread(this::run, "outbox-relay");
        relayThread.setDaemon(true);
        relayThread.start();
    }

    /**
     * Wakes the relay now: after a transaction that wrote to the outbox committed, or the broker came back. On a
     * standby instance the leader's relay is woken instead (see {@link OutboxLeadership}).
     */
    public void wakeUp() {
        if (leadership != null && !leadership.isLeader()) {
            leadership.passOnCommit();
        } else {
            wakeUps.release();
        }
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (leadership != null) {
            leadership.stop();
        }
        if (relayThread != null) {
            relayThread.interrupt();
            try {
                relayThread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sinks.values().forEach(TopicSink::close);
        sinks.clear();
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        Instant nextHousekeeping = clock.instant();
        while (running) {
            try {
                if (backoff.isZero()) {
                    if (wakeUps.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS) && !linger.isZero()) {
                        // Let the commits of the next few milliseconds join this round: under load one read and
                        // one update then carry dozens of events instead of one or two each.
                        Thread.sleep(linger.toMillis());
                    }
                } else {
                    Thread.sleep(backoff.toMillis());
                }
                wakeUps.drainPermits();
                if (!publishing()) {
                    backoff = Duration.ZERO;
                    continue; // another instance publishes
                }
                boolean allSent = publishPending();
                backoff = allSent ? Duration.ZERO : nextBackoff(backoff);
                if (clock.instant().isAfter(nextHousekeeping)) {
                    nextHousekeeping = clock.instant().plus(Duration.ofHours(1));
                    store.deletePublishedBefore(clock.instant().minus(retention));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // e.g. the database is unreachable: keep the thread, try again later
                LOGGER.log(System.Logger.Level.WARNING, "Outbox relay round failed: " + e.getMessage(), e);
                backoff = nextBackoff(backoff);
            }
        }
    }

    /** True unless another instance of this service holds the outbox lock. */
    private boolean publishing() {
        return leadership == null || leadership.isLeader();
    }

    private Duration nextBackoff(Duration current) {
        Duration next = current.isZero() ? Duration.ofMillis(200) : current.multipliedBy(2);
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }

    /**
     * Publishes everything pending, batch after batch.
     *
     * @return false when something could not be published (Kafka trouble): the caller backs off
     */
    private boolean publishPending() throws InterruptedException {
        while (running && publishing()) {
            List<OutboxMessage> batch = store.pending(batchSize);
            if (batch.isEmpty()) {
                return true;
            }
            Map<OutboxMessage, CompletableFuture<Void>> inFlight = dispatch(batch);
            awaitAcks(inFlight);
            List<Long> acked = new ArrayList<>();
            inFlight.forEach((message, ack) -> {
                if (ack.isDone() && !ack.isCompletedExceptionally()) {
                    acked.add(message.id());
                }
            });
            store.markPublished(acked, clock.instant());
            if (acked.size() < batch.size()) {
                closeDeadSinks();
                return false;
            }
        }
        return true;
    }

    private Map<OutboxMessage, CompletableFuture<Void>> dispatch(List<OutboxMessage> batch) {
        Map<OutboxMessage, CompletableFuture<Void>> inFlight = new LinkedHashMap<>();
        for (OutboxMessage message : batch) {
            TopicSink sink = sinkFor(message.eventType());
            Optional<CompletableFuture<Void>> ack = sink.alive()
                    ? sink.send(message.subject(), message.payload(), 1000)
                    : Optional.empty();
            if (ack.isEmpty()) {
                // Stop here: sending later rows first would break per-key order.
                break;
            }
            inFlight.put(message, ack.get());
        }
        return inFlight;
    }

    /**
     * Waits until every record is acknowledged, or a sink involved has died, or the relay stops. After
     * {@code send-timeout} without all acknowledgements, the sinks still holding records are abandoned.
     */
    private void awaitAcks(Map<OutboxMessage, CompletableFuture<Void>> inFlight) throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(inFlight.values().toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        while (running) {
            try {
                all.get(250, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                boolean sinkDied = inFlight.keySet().stream()
                        .map(OutboxMessage::eventType)
                        .distinct()
                        .anyMatch(type -> !sinkFor(type).alive());
                if (sinkDied) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    abandonStalledSinks(inFlight);
                    return;
                }
            } catch (ExecutionException e) {
                return;
            }
        }
    }

    private void abandonStalledSinks(Map<OutboxMessage, CompletableFuture<Void>> inFlight) {
        inFlight.entrySet().stream()
                .filter(entry -> !entry.getValue().isDone())
                .map(entry -> entry.getKey().eventType())
                .distinct()
                .forEach(topic -> {
                    LOGGER.log(System.Logger.Level.WARNING, "Kafka acknowledged no record for " + topic + " within "
                            + sendTimeout + "; the producer is replaced and its records are sent again");
                    sinkFor(topic).abandon();
                });
    }

    private TopicSink sinkFor(String topic) {
        return sinks.computeIfAbsent(topic, sinkFactory);
    }

    private void closeDeadSinks() {
        sinks.values().removeIf(sink -> {
            if (sink.alive()) {
                return false;
            }
            LOGGER.log(System.Logger.Level.WARNING, "Kafka sink for " + sink.topic() + " failed; it will be rebuilt");
            sink.close();
            return true;
        });
    }

    /**
     * Producer settings for one topic: the connector-wide settings ({@code mp.messaging.connector.<connector>.*},
     * e.g. bootstrap.servers), safe defaults for an outbox, then {@code pawfiler.outbox.kafka.*} overrides.
     */
    private Config channelConfig(String topic) {
        Map<String, String> settings = new HashMap<>();
        // Idempotent, fully acknowledged producer: retries cannot duplicate or reorder records within a partition.
        settings.put("acks", "all");
        settings.put("enable.idempotence", "true");
        settings.put("max.in.flight.requests.per.connection", "5");
        settings.put("linger.ms", "1");
        // Keep retrying while the broker is away rather than failing the rows: they are already safe in the outbox.
        // The relay abandons a producer after send-timeout (60 s), long before this: a producer that expires a record
        // itself would let the partition's later records overtake it. Bounded so that an abandoned one closes.
        settings.put("delivery.timeout.ms", "300000");
        settings.put("max.block.ms", "10000");
        settings.put("backpressure.size", String.valueOf(batchSize));
        copyWithoutPrefix(connectorPrefix, settings);
        copyWithoutPrefix(OVERRIDE_PREFIX, settings);
        // Looked up by name so that an environment variable (MP_MESSAGING_CONNECTOR_HELIDON_KAFKA_BOOTSTRAP_SERVERS) counts.
        config.getOptionalValue(connectorPrefix + "bootstrap.servers", String.class)
                .ifPresent(servers -> settings.put("bootstrap.servers", servers));
        settings.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        settings.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        settings.put("topic", topic);
        settings.put("channel-name", "outbox-" + topic);
        settings.put("connector", connectorName);
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapConfigSource("outbox-" + topic, settings))
                .build();
    }

    /** Puts every {@code <prefix>key=value} of the application's config into {@code settings} as {@code key=value}. */
    private void copyWithoutPrefix(String prefix, Map<String, String> settings) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> settings.put(name.substring(prefix.length()), value));
            }
        }
    }
}

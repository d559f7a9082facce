package io.pawfiler.platform.outbox;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.pawfiler.platform.db.DatabaseMigration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's rules with an in-memory outbox and in-memory sinks (the Kafka path itself is covered by platform-helidon's
 * EventsIT and system-tests' BrokerOutageIT): a producer that never acknowledges is replaced, a slow one is not.
 */
class OutboxRelayTest {

    private final ScheduledExecutorService acks = Executors.newSingleThreadScheduledExecutor();
    private OutboxRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
        acks.shutdownNow();
    }

    @Test
    void aProducerThatNeverAcknowledgesIsReplacedAndItsRecordsGoOutAgainInOrder() throws Exception {
        InMemoryOutbox outbox = new InMemoryOutbox();
        for (int i = 1; i <= 6; i++) {
            outbox.add("quiz.answered", "user-" + (i % 2), "event-" + i);
        }
        List<FakeSink> sinks = new CopyOnWriteArrayList<>();
        // the first producer takes records and never answers, as one stuck on a batch the broker keeps refusing
        relay = startRelay(outbox, "PT0.3S", sinks, nth -> nth == 0 ? null : Duration.ZERO);

        assertTrue(eventually(() -> outbox.published().size() == 6, Duration.ofSeconds(10)),
                "every row published; published: " + outbox.published());
        assertEquals(2, sinks.size(), "one replacement producer");
        assertTrue(sinks.get(0).abandoned, "the stuck producer was abandoned");
        assertEquals(List.of("event-1", "event-2", "event-3", "event-4", "event-5", "event-6"),
                sinks.get(1).received, "its records went out again through the new one, in id order");
        assertEquals(1, outbox.timesMarked("event-1"), "each row marked published once");
    }

    @Test
    void aSlowProducerWithinTheSendTimeoutIsKept() throws Exception {
        InMemoryOutbox outbox = new InMemoryOutbox();
        for (int i = 1; i <= 4; i++) {
            outbox.add("xp.earned", "user-" + i, "event-" + i);
        }
        List<FakeSink> sinks = new CopyOnWriteArrayList<>();
        relay = startRelay(outbox, "PT2S", sinks, nth -> Duration.ofMillis(700));

        assertTrue(eventually(() -> outbox.published().size() == 4, Duration.ofSeconds(10)),
                "every row published; published: " + outbox.published());
        assertEquals(1, sinks.size(), "no replacement");
        assertFalse(sinks.get(0).abandoned, "the slow producer was kept");
        assertEquals(List.of("event-1", "event-2", "event-3", "event-4"), sinks.get(0).received);
    }

    /** A relay whose n-th sink (from 0) acknowledges after {@code ackDelayOfNth.apply(n)}; each is added to {@code sinks}. */
    private OutboxRelay startRelay(InMemoryOutbox outbox, String sendTimeout, List<FakeSink> sinks,
                                   IntFunction<Duration> ackDelayOfNth) {
        Config config = new MapConfig(Map.of(
                "pawfiler.outbox.send-timeout", sendTimeout,
                "pawfiler.outbox.single-publisher", "false",
                "pawfiler.outbox.idle-poll", "PT0.05S",
                "pawfiler.outbox.max-backoff", "PT0.2S",
                "pawfiler.outbox.linger", "PT0S"));
        OutboxRelay started = new OutboxRelay(outbox, config, null, topic -> {
            FakeSink sink = new FakeSink(topic, ackDelayOfNth.apply(sinks.size()));
            sinks.add(sink);
            return sink;
        });
        started.start(new DatabaseMigration.Completed("quiz"));
        return started;
    }

    private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** A producer that acknowledges each record after {@code ackDelay}, or never when it is null. */
    private final class FakeSink implements TopicSink {
        private final String topic;
        private final Duration ackDelay;
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile boolean abandoned;

        FakeSink(String topic, Duration ackDelay) {
            this.topic = topic;
            this.ackDelay = ackDelay;
        }

        @Override
        public Optional<CompletableFuture<Void>> send(String key, String cloudEventJson, long offerTimeoutMillis) {
            received.add(cloudEventJson);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            if (ackDelay != null) {
                acks.schedule(() -> ack.complete(null), ackDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
            return Optional.of(ack);
        }

        @Override
        public boolean alive() {
            return !abandoned;
        }

        @Override
        public void abandon() {
            abandoned = true;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public void close() {
        }
    }

    /** The outbox table in memory: ids in insertion order, as PostgreSQL's identity gives them. */
    private static final class InMemoryOutbox extends OutboxStore {
        private final List<OutboxMessage> rows = Collections.synchronizedList(new ArrayList<>());
        private final Map<Long, Integer> marks = new ConcurrentHashMap<>();

        void add(String topic, String subject, String payload) throws ReflectiveOperationException {
            OutboxMessage message = new OutboxMessage(payload, topic, subject, payload, Instant.now());
            Field id = OutboxMessage.class.getDeclaredField("id");
            id.setAccessible(true);
            id.set(message, (long) rows.size() + 1);
            rows.add(message);
        }

        @Override
        List<OutboxMessage> pending(int limit) {
            synchronized (rows) {
                return rows.stream().filter(row -> !marks.containsKey(row.id())).limit(limit).toList();
            }
        }

        @Override
        void markPublished(List<Long> ids, Instant when) {
            ids.forEach(id -> marks.merge(id, 1, Integer::sum));
        }

        @Override
        int deletePublishedBefore(Instant cutoff) {
            return 0;
        }

        Set<Long> published() {
            return marks.keySet();
        }

        int timesMarked(String eventId) {
            synchronized (rows) {
                return rows.stream().filter(row -> row.eventId().equals(eventId))
                        .mapToInt(row -> marks.getOrDefault(row.id(), 0)).sum();
            }
        }
    }

    /** Just enough MicroProfile Config for the relay's settings. */
    private record MapConfig(Map<String, String> values) implements Config {

        @Override
        public <T> T getValue(String propertyName, Class<T> propertyType) {
            return getOptionalValue(propertyName, propertyType).orElseThrow();
        }

        @Override
        public ConfigValue getConfigValue(String propertyName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType) {
            String value = values.get(propertyName);
            if (value == null) {
                return Optional.empty();
            }
            Object converted = switch (propertyType.getSimpleName()) {
                case "Duration" -> Duration.parse(value);
                case "Boolean" -> Boolean.valueOf(value);
                case "Integer" -> Integer.valueOf(value);
                default -> value;
            };
            return Optional.of(propertyType.cast(converted));
        }

        @Override
        public Iterable<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public Iterable<ConfigSource> getConfigSources() {
            return List.of();
        }

        @Override
        public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
            return Optional.empty();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }
    }
}

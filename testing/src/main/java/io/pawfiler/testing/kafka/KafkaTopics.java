package io.pawfiler.testing.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reading and writing topics from a test, with the client library the services use (kafka-clients 3.6, Helidon's).
 * The static methods talk to this JVM's {@link TestKafka} broker; {@link #on(String)} talks to any other.
 *
 * <pre>{@code
 * KafkaTopics.send("user.registered", userId, json);
 * List<KafkaTopics.Record> records = KafkaTopics.read("quiz.answered", 1, Duration.ofSeconds(10));
 * }</pre>
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** A record as a test wants to look at it; header values decoded as UTF-8 (the last one wins per key). */
    public record Record(String topic, int partition, long offset, String key, String value, Map<String, String> headers) {
    }

    /** Topics of the broker at {@code bootstrapServers} (not necessarily {@link TestKafka}'s). */
    public static Client on(String bootstrapServers) {
        return new Client(bootstrapServers);
    }

    /** Sends one record to {@link TestKafka}'s broker and waits for its acknowledgement. */
    public static void send(String topic, String key, String value) {
        on(TestKafka.bootstrapServers()).send(topic, key, value, Map.of());
    }

    /** Sends one record with headers (UTF-8 values) and waits for its acknowledgement. */
    public static void send(String topic, String key, String value, Map<String, String> headers) {
        on(TestKafka.bootstrapServers()).send(topic, key, value, headers);
    }

    /** See {@link Client#readUntil}. */
    public static List<Record> readUntil(String topic, Duration timeout, Predicate<List<Record>> done) {
        return on(TestKafka.bootstrapServers()).readUntil(topic, timeout, done);
    }

    /** See {@link Client#read}. */
    public static List<Record> read(String topic, int count, Duration timeout) {
        return on(TestKafka.bootstrapServers()).read(topic, count, timeout);
    }

    /** See {@link Client#createTopic}. */
    public static void createTopic(String topic, int partitions) {
        on(TestKafka.bootstrapServers()).createTopic(topic, partitions);
    }

    /** Topic helpers bound to one broker address. */
    public static final class Client {
        private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

        private final String bootstrapServers;

        private Client(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** Sends one record (string key and value, UTF-8 header values) and waits for the broker's acknowledgement. */
        public void send(String topic, String key, String value, Map<String, String> headers) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, headerValue) ->
                    record.headers().add(name, headerValue == null ? null : headerValue.getBytes(StandardCharsets.UTF_8)));
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while sending to " + topic, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Could not send to " + topic + " at " + bootstrapServers
                        + " within " + ACK_TIMEOUT, e);
            }
        }

        /**
         * Reads the topic from the beginning until {@code done} holds for what was read, or the timeout passes;
         * returns everything read either way, so the test asserts on it. A topic that does not exist yet is waited
         * for (asking for it auto-creates it, as a producer would).
         *
         * <p>No consumer group: partitions are assigned directly, which skips the group join (~0.5 s per read) and
         * leaves no group behind on the broker.
         */
        public List<Record> readUntil(String topic, Duration timeout, Predicate<List<Record>> done) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Record> records = new ArrayList<>();
            KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            try {
                List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!partitions.isEmpty() && !done.test(records) && System.nanoTime() < deadline) {
                    // poll returns as soon as records arrive; the bound only caps how late the deadline is noticed
                    Duration wait = Duration.ofMillis(Math.min(millisLeft(deadline), 200));
                    for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
                        records.add(toRecord(r));
                    }
                }
            } finally {
                // nothing to commit; a default close would wait out the in-flight fetch (fetch.max.wait.ms, 0.5 s)
                consumer.close(Duration.ZERO);
            }
            return records;
        }

        private static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
            while (true) {
                try {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(millisLeft(deadline)));
                    if (infos != null && !infos.isEmpty()) {
                        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                    // the broker is not reachable yet or the topic is still being created
                }
                if (System.nanoTime() >= deadline) {
                    return List.of();
                }
                try {
                    Thread.sleep(Math.min(millisLeft(deadline), 50)); // the metadata poll has no wait of its own
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
        }

        private static long millisLeft(long deadline) {
            return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        }

        /** Reads from the beginning until at least {@code count} records arrived (or the timeout); returns them all. */
        public List<Record> read(String topic, int count, Duration timeout) {
            return readUntil(topic, timeout, records -> records.size() >= count);
        }

        /** Creates a topic with one replica; does nothing if it exists already. */
        public void createTopic(String topic, int partitions) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            try (Admin admin = Admin.create(props)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                        .all().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + topic + " at " + bootstrapServers, e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Could not create topic " + topic + " at " + bootstrapServers
                        + " within " + ACK_TIMEOUT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + topic, e);
            }
        }

        private static Record toRecord(ConsumerRecord<String, String> r) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : r.headers()) {
                headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
            return new Record(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                    Collections.unmodifiableMap(headers));
        }
    }
}

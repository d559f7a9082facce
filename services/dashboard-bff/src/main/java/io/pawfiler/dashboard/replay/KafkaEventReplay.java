package io.pawfiler.dashboard.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link EventReplay} on kafka-clients: a consumer without a group (partitions assigned directly, nothing
 * committed, no effect on the live consumers' offsets) that seeks every partition to its beginning and reads up
 * to the end offsets captured at each {@link Session#readToEnd} call.
 */
@ApplicationScoped
public class KafkaEventReplay implements EventReplay {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;

    @Inject
    KafkaEventReplay(@ConfigProperty(name = "pawfiler.kafka.bootstrap-servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public Session open(List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dashboard-rebuild");
        return new KafkaSession(new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()), topics);
    }

    private static final class KafkaSession implements Session {
        private final KafkaConsumer<String, String> consumer;
        private final List<String> topics;
        private final Set<TopicPartition> assigned = new HashSet<>();

        KafkaSession(KafkaConsumer<String, String> consumer, List<String> topics) {
            this.consumer = consumer;
            this.topics = List.copyOf(topics);
        }

        @Override
        public long readToEnd(Consumer<List<String>> batch) {
            assignNewPartitions();
            if (assigned.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, METADATA_TIMEOUT);
            long handed = 0;
            while (!reached(ends)) {
                List<String> values = new ArrayList<>();
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    // records past the captured end wait for the next call (they are read again from there)
                    if (record.offset() < ends.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                        values.add(record.value());
                    }
                }
                rewindPastEnds(ends);
                if (!values.isEmpty()) {
                    batch.accept(values);
                    handed += values.size();
                }
            }
            return handed;
        }

        /** Partitions created since the last call (a topic's first event) are read from their beginning too. */
        private void assignNewPartitions() {
            List<TopicPartition> added = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (partitions == null) {
                    continue;
                }
                for (PartitionInfo info : partitions) {
                    TopicPartition partition = new TopicPartition(topic, info.partition());
                    if (assigned.add(partition)) {
                        added.add(partition);
                    }
                }
            }
            if (!added.isEmpty()) {
                consumer.assign(assigned);
                consumer.seekToBeginning(added);
            }
        }

        private boolean reached(Map<TopicPartition, Long> ends) {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (consumer.position(end.getKey(), METADATA_TIMEOUT) < end.getValue()) {
                    return false;
                }
            }
            return true;
        }

        private void rewindPastEnds(Map<TopicPartition, Long> ends) {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (consumer.position(end.getKey(), METADATA_TIMEOUT) > end.getValue()) {
                    consumer.seek(end.getKey(), end.getValue());
                }
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ZERO);
        }
    }
}

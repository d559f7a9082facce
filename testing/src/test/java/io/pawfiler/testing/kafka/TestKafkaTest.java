package io.pawfiler.testing.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared broker of this JVM, through the clients the services use (kafka-clients 3.6 against broker 4.1). */
class TestKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String uniqueTopic(String name) {
        return name + "." + UUID.randomUUID();
    }

    @Test
    void aProducedRecordIsConsumedWithKeyValueAndHeaders() {
        String topic = uniqueTopic("produce-consume");

        KafkaTopics.send(topic, "user-1", "{\"hello\":1}", Map.of("content-type", "application/cloudevents+json"));

        List<KafkaTopics.Record> records = KafkaTopics.read(topic, 1, TIMEOUT);
        assertEquals(1, records.size(), "exactly the one record sent");
        KafkaTopics.Record record = records.get(0);
        assertEquals(topic, record.topic());
        assertEquals("user-1", record.key());
        assertEquals("{\"hello\":1}", record.value());
        assertEquals("application/cloudevents+json", record.headers().get("content-type"));
    }

    @Test
    void createTopicMakesTheAskedPartitionsAndToleratesAnExistingTopic() throws Exception {
        String topic = uniqueTopic("created");

        KafkaTopics.createTopic(topic, 5);
        KafkaTopics.createTopic(topic, 5);

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            assertEquals(5, partitions);
        }
    }

    @Test
    void autoCreatedTopicsGetTheBrokersDefaultPartitions() throws Exception {
        String topic = uniqueTopic("auto-created");
        KafkaTopics.send(topic, "k", "v");

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            assertEquals(3, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
        }
    }

    @Test
    void stopAndStartKeepThePortAndEarlierRecords() {
        String topic = uniqueTopic("outage");
        String bootstrap = TestKafka.bootstrapServers();
        KafkaTopics.send(topic, "k", "before");
        assertEquals(1, KafkaTopics.read(topic, 1, TIMEOUT).size(), "a consumer group is active on the broker too");

        TestKafka.stopBroker();
        try {
            assertFalse(TestKafka.broker().isRunning());
            assertThrows(IOException.class, () -> connect(TestKafka.broker().brokerPort()), "nothing listens while down");
        } finally {
            TestKafka.startBroker();
        }

        assertTrue(TestKafka.broker().isRunning());
        assertEquals(bootstrap, TestKafka.bootstrapServers(), "same address after the restart");
        KafkaTopics.send(topic, "k", "after");
        List<String> values = KafkaTopics.read(topic, 2, TIMEOUT).stream().map(KafkaTopics.Record::value).toList();
        assertEquals(List.of("before", "after"), values, "the record from before the outage survived, in order");
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}

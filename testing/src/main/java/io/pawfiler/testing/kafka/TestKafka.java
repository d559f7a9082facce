package io.pawfiler.testing.kafka;

import io.pawfiler.kafkabroker.KafkaBrokerProcess;

/**
 * The real Kafka broker of this test JVM: started on first use (about 3 s), stopped when the JVM exits.
 * Outage tests stop and start it again; it comes back on the same port with its data.
 */
public final class TestKafka {

    private static KafkaBrokerProcess broker;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public static synchronized void stopBroker() {
        broker().stop();
    }

    public static synchronized void startBroker() {
        broker().start();
    }

    private static KafkaBrokerProcess broker() {
        if (broker == null) {
            broker = KafkaBrokerProcess.builder().build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "test-kafka-stop"));
        }
        return broker;
    }
}

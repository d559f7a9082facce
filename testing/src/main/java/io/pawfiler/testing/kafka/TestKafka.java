package io.pawfiler.testing.kafka;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pawfiler.kafkabroker.KafkaBrokerProcess;

/**
 * The real Kafka broker (4.1, KRaft, child JVM) of this test JVM: started on first use (about 1 s; 2 s the very
 * first time on a machine), stopped when the JVM exits, its temporary data deleted. Outage tests
 * {@link #stopBroker()} and {@link #startBroker()} again: it comes back on the same port with its data.
 *
 * <p>Under Maven (a {@code target} directory in the working directory) the broker's log is
 * {@code target/kafka-broker.log}, kept for reading after a failed build; otherwise it is in the data directory.
 */
public final class TestKafka {

    private static final System.Logger LOG = System.getLogger(TestKafka.class.getName());
    private static KafkaBrokerProcess broker;

    private TestKafka() {
    }

    /** {@code 127.0.0.1:<port>}, starting the broker on first use; the same across stop and start. */
    public static synchronized String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The broker itself, started on first use (for its log file, ports, {@link KafkaBrokerProcess#isRunning()}). */
    public static synchronized KafkaBrokerProcess broker() {
        if (broker == null) {
            KafkaBrokerProcess.Builder builder = KafkaBrokerProcess.builder();
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                builder.logFile(target.resolve("kafka-broker.log"));
            }
            broker = builder.build().start();
            LOG.log(Level.INFO, "Kafka broker started in {0} ms at {1} (log {2})",
                    String.valueOf(broker.lastStartTime().toMillis()), broker.bootstrapServers(), broker.logFile());
        }
        return broker;
    }

    /** Stops the broker gracefully; clients see it down until {@link #startBroker()}. */
    public static synchronized void stopBroker() {
        broker().stop();
    }

    /** Starts the broker again (same port, same topics and records) and waits until it serves clients. */
    public static synchronized void startBroker() {
        broker().start();
    }
}

package io.pawfiler.testing.kafka;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pawfiler.kafkabroker.KafkaBrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the local runner relies on: a persistent data directory, and errors that say what went wrong. */
class KafkaBrokerProcessTest {

    @Test
    void aNewBrokerOnTheSameDataDirectoryKeepsTheRecordsEvenOnOtherPorts(@TempDir Path dataDir) throws Exception {
        Path log = dataDir.resolve("first.log");
        try (KafkaBrokerProcess first = KafkaBrokerProcess.builder().dataDir(dataDir).logFile(log).build().start()) {
            KafkaTopics.on(first.bootstrapServers()).send("kept", "k", "written by the first broker", Map.of());
        }
        assertTrue(Files.exists(dataDir.resolve("logs/meta.properties")), "a given data directory is not deleted");
        assertTrue(Files.readString(log).contains("Formatting metadata directory"), "formatted on first use");

        try (KafkaBrokerProcess second = KafkaBrokerProcess.builder().dataDir(dataDir).build().start()) {
            List<KafkaTopics.Record> records = KafkaTopics.on(second.bootstrapServers())
                    .read("kept", 1, Duration.ofSeconds(30));
            assertEquals(List.of("written by the first broker"), records.stream().map(KafkaTopics.Record::value).toList());
            assertFalse(Files.readString(second.logFile()).contains("Formatting metadata directory"),
                    "an existing data directory is not formatted again");
        }
    }

    @Test
    void aBusyPortFailsTheStartWithTheBrokersOwnExplanation(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            KafkaBrokerProcess broker = KafkaBrokerProcess.builder()
                    .dataDir(dataDir)
                    .brokerPort(taken.getLocalPort())
                    .build();

            IllegalStateException failure = assertThrows(IllegalStateException.class, broker::start);

            assertTrue(failure.getMessage().contains("exited with code"), failure.getMessage());
            assertTrue(failure.getMessage().contains("Address already in use"),
                    "the log tail explains the failure: " + failure.getMessage());
            assertFalse(broker.isRunning());
            broker.close();
        }
    }
}

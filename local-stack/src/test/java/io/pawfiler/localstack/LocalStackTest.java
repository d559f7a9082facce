package io.pawfiler.localstack;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackTest {

    @TempDir
    Path root;

    @Test
    void startsPostgresAndKafkaKeepsDataAcrossRestartsAndStopsCleanly() throws Exception {
        int pgPort = freePort();
        int kafkaPort = freePort();
        try (LocalStack stack = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort).start(List.of())) {
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                 Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE kept (v TEXT)");
                statement.execute("INSERT INTO kept VALUES ('still here')");
            }
            assertEquals("127.0.0.1:" + kafkaPort, stack.kafkaBootstrapServers());
        }
        assertTrue(Files.isDirectory(root.resolve(".pawfiler/postgres")));
        assertTrue(Files.isDirectory(root.resolve(".pawfiler/kafka/logs")));
        assertFalse(portInUse(pgPort), "PostgreSQL stopped");
        assertFalse(portInUse(kafkaPort), "Kafka stopped");

        try (LocalStack again = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort).start(List.of());
             Connection db = DriverManager.getConnection(again.jdbcUrl(), again.dbUser(), again.dbPassword());
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
            assertTrue(rows.next());
            assertEquals("still here", rows.getString(1));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean portInUse(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return false;
        } catch (Exception e) {
            return true;
        }
    }
}

package io.pawfiler.localstack;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackTest {

    @TempDir
    Path root;

    @Test
    void startsPostgresAndKafkaKeepsDataAcrossRestartsAndStopsCleanly() throws Exception {
        int pgPort = freePort();
        int kafkaPort = freePort();
        int sandboxPort = freePort();
        String secretKey;
        try (LocalStack stack = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort)
                .paymentSandboxPort(sandboxPort).start(List.of())) {
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                 Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE kept (v TEXT)");
                statement.execute("INSERT INTO kept VALUES ('still here')");
            }
            assertEquals("127.0.0.1:" + kafkaPort, stack.kafkaBootstrapServers());
            secretKey = checkPaymentSandbox(stack, sandboxPort);
        }
        assertTrue(Files.isDirectory(root.resolve(".pawfiler/postgres")));
        assertTrue(Files.isDirectory(root.resolve(".pawfiler/kafka/logs")));
        assertTrue(Files.readString(root.resolve(".pawfiler/logs/payment-sandbox.log"))
                .contains("payment-sandbox listening on"));
        assertFalse(portInUse(pgPort), "PostgreSQL stopped");
        assertFalse(portInUse(kafkaPort), "Kafka stopped");
        assertFalse(portInUse(sandboxPort), "payment sandbox stopped");

        try (LocalStack again = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort)
                     .paymentSandboxPort(sandboxPort).start(List.of());
             Connection db = DriverManager.getConnection(again.jdbcUrl(), again.dbUser(), again.dbPassword());
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
            assertTrue(rows.next());
            assertEquals("still here", rows.getString(1));
            assertEquals(secretKey, again.tossSecretKey(), "the machine's secret key is kept");
        }
    }

    /** Up, reachable with the machine's secret key only, and payment-service would be told about it. */
    private String checkPaymentSandbox(LocalStack stack, int sandboxPort) throws Exception {
        String baseUrl = "http://localhost:" + sandboxPort;
        assertEquals(baseUrl, stack.paymentSandbox().baseUrl());
        String secretKey = stack.tossSecretKey();
        String webhookSecret = stack.tossWebhookSecret();
        if (System.getenv(LocalStack.TOSS_SECRET_KEY) == null) {
            assertTrue(secretKey.startsWith("test_sk_"), secretKey);
            Path file = root.resolve(".pawfiler/secrets/payment-toss-secret-key");
            assertEquals(secretKey, Files.readString(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        if (System.getenv(LocalStack.TOSS_WEBHOOK_SECRET) == null) {
            assertEquals(webhookSecret,
                    Files.readString(root.resolve(".pawfiler/secrets/payment-toss-webhook-secret")));
        }
        if (System.getenv(LocalStack.TOSS_BASE_URL) == null && System.getenv(LocalStack.TOSS_CHECKOUT_URL) == null) {
            assertEquals(Map.of(
                    LocalStack.TOSS_BASE_URL, baseUrl,
                    LocalStack.TOSS_SECRET_KEY, secretKey,
                    LocalStack.TOSS_WEBHOOK_SECRET, webhookSecret,
                    LocalStack.TOSS_CHECKOUT_URL, baseUrl + "/checkout"), stack.paymentProviderEnvironment());
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertEquals(404, lookUp(client, baseUrl, secretKey).statusCode(), "authenticated: no such payment");
            assertEquals(401, lookUp(client, baseUrl, "test_sk_wrong").statusCode());
        }
        return secretKey;
    }

    private static HttpResponse<String> lookUp(HttpClient client, String baseUrl, String secretKey) throws Exception {
        String authorization = "Basic " + Base64.getEncoder().encodeToString((secretKey + ":").getBytes());
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/payments/no-such-payment"))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTakenSandboxPortFailsTheStartAndStopsWhatStarted() throws Exception {
        int pgPort = freePort();
        int kafkaPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalStack stack = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort)
                    .paymentSandboxPort(taken.getLocalPort());
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> stack.start(List.of()));
            assertTrue(failure.getMessage().contains("payment-sandbox exited"), failure.getMessage());
        }
        assertFalse(portInUse(kafkaPort), "Kafka stopped");
        assertFalse(portInUse(pgPort), "PostgreSQL stopped");
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

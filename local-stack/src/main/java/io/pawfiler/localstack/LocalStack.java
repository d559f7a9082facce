package io.pawfiler.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pawfiler.kafkabroker.KafkaBrokerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs the whole system on one machine without Docker: PostgreSQL (embedded, or {@code PAWFILER_DB_URL}),
 * a Kafka broker in a child JVM, then every service module that has been built, each in its own JVM on its port.
 * Data stays under {@code .pawfiler/} across restarts. Stops everything on Ctrl-C (JVM shutdown).
 */
public final class LocalStack implements AutoCloseable {

    public static final String DATABASE = "pawfiler";

    private final Path root;
    private final Path stateDir;
    private final int postgresPort;
    private final int kafkaPort;
    private EmbeddedPostgres postgres;
    private KafkaBrokerProcess kafka;
    private String jdbcUrl;
    private String dbUser;
    private String dbPassword;
    private final Map<ServiceDefinition, ServiceProcess> services = new LinkedHashMap<>();

    public LocalStack(Path root, Path stateDir, int postgresPort, int kafkaPort) {
        this.root = root.toAbsolutePath();
        this.stateDir = stateDir.toAbsolutePath();
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
    }

    /** Starts the infrastructure and the built services; returns once every started service is ready. */
    public LocalStack start(List<ServiceDefinition> wanted) throws IOException, InterruptedException {
        Files.createDirectories(stateDir.resolve("logs"));
        startPostgres();
        kafka = KafkaBrokerProcess.builder()
                .dataDir(stateDir.resolve("kafka"))
                .brokerPort(kafkaPort)
                .controllerPort(kafkaPort + 1)
                .jvmOptions(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"))
                .build()
                .start();
        for (ServiceDefinition service : wanted) {
            if (service.isBuilt(root)) {
                services.put(service, launch(service));
            }
        }
        for (ServiceProcess process : services.values()) {
            process.awaitReady(Duration.ofSeconds(60));
        }
        return this;
    }

    private void startPostgres() throws IOException {
        String external = System.getenv("PAWFILER_DB_URL");
        if (external != null && !external.isBlank()) {
            jdbcUrl = external;
            dbUser = envOr("PAWFILER_DB_USER", "pawfiler");
            dbPassword = envOr("PAWFILER_DB_PASSWORD", "");
            return;
        }
        Path data = stateDir.resolve("postgres");
        Files.createDirectories(data);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(postgresPort)
                .start();
        dbUser = "postgres";
        dbPassword = "postgres";
        try (Connection admin = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
             Statement statement = admin.createStatement();
             ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare database " + DATABASE, e);
        }
        jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/" + DATABASE;
    }

    private ServiceProcess launch(ServiceDefinition service) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAWFILER_DB_URL", jdbcUrl);
        env.put("PAWFILER_DB_USER", dbUser);
        env.put("PAWFILER_DB_PASSWORD", dbPassword);
        env.put("PAWFILER_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        if (service.name().equals("auth-service") && System.getenv("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET") == null) {
            env.put("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET", localSecret("auth-key-encryption-secret"));
        }
        return ServiceProcess.start(root, service, service.port(), env, logFile(service.name()));
    }

    /**
     * A secret for this machine's stack, made on first use and kept in {@code .pawfiler/secrets} (owner-only), so
     * no secret lives in the repository and data encrypted with it stays readable across restarts.
     */
    private String localSecret(String name) throws IOException {
        Path file = stateDir.resolve("secrets").resolve(name);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            Files.writeString(file, java.util.HexFormat.of().formatHex(random));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        return Files.readString(file).trim();
    }

    public Path logFile(String component) {
        return stateDir.resolve("logs").resolve(component + ".log");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Map<ServiceDefinition, ServiceProcess> services() {
        return services;
    }

    /** Stops services first (they flush their outbox and close consumers), then Kafka, then PostgreSQL. */
    @Override
    public void close() {
        // SIGTERM to all first so they shut down in parallel, then wait for each.
        services.values().forEach(service -> service.process().destroy());
        services.values().forEach(ServiceProcess::close);
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** {@code up}: starts everything and runs until Ctrl-C. */
    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path root = Path.of(System.getProperty("pawfiler.root", ".")).toAbsolutePath().normalize();
        int pgPort = Integer.parseInt(envOr("PAWFILER_DB_PORT", "15432"));
        int kafkaPort = Integer.parseInt(envOr("PAWFILER_KAFKA_PORT", "9092"));
        LocalStack stack = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Pawfiler...");
            stack.close();
            System.out.println("Stopped.");
        }, "local-stack-stop"));
        stack.start(ServiceDefinition.ALL);
        System.out.printf("%nPawfiler is up (%d ms)%n", (System.nanoTime() - started) / 1_000_000);
        System.out.printf("  PostgreSQL  %s (user %s)%n", stack.jdbcUrl(), stack.dbUser());
        System.out.printf("  Kafka       %s%n", stack.kafkaBootstrapServers());
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            if (stack.services().containsKey(service)) {
                System.out.printf("  %-22s http://localhost:%d  (gRPC h2c on the same port; OpenAPI /openapi; "
                        + "health /health; metrics /metrics; reflection: grpcurl -plaintext localhost:%d list)%n",
                        service.name(), service.port(), service.port());
            } else {
                System.out.printf("  %-22s not built yet (module %s)%n", service.name(), service.module());
            }
        }
        System.out.printf("  logs        %s%nCtrl-C stops everything.%n", root.resolve(".pawfiler/logs"));
        Files.writeString(root.resolve(".pawfiler/stack.pid"), String.valueOf(ProcessHandle.current().pid()));
        Thread.currentThread().join();
    }
}

package io.pawfiler.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.pawfiler.localstack.ServiceDefinition;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.kafka.TestKafka;
import io.pawfiler.testing.postgres.TestPostgres;

/** Starts built services in their own JVMs against one test database (a schema each) and the test kit's Kafka. */
final class Services {

    private Services() {
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("pawfiler.root", "..")).toAbsolutePath().normalize();
    }

    /** Starts the service, waits until it is ready; {@code extraEnv} adds or overrides PAWFILER_* settings. */
    static ServiceProcess start(String name, TestPostgres.Database database, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        return start(name, database, extraEnv, freePort());
    }

    /** The same on a port chosen beforehand (e.g. one a webhook sender must know first). */
    static ServiceProcess start(String name, TestPostgres.Database database, Map<String, String> extraEnv, int port)
            throws IOException, InterruptedException {
        return start(name, database, extraEnv, port, Duration.ofSeconds(90));
    }

    /** The same with its own time to get ready (e.g. when many services start at once on a small machine). */
    static ServiceProcess start(String name, TestPostgres.Database database, Map<String, String> extraEnv, int port,
                                Duration readyTimeout) throws IOException, InterruptedException {
        ServiceProcess process = launch(name, database, extraEnv, port);
        try {
            return process.awaitReady(readyTimeout);
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /**
     * Starts the service's JVM without waiting for it: launch several, then {@link #awaitReady} them together, so
     * their start-ups overlap instead of adding up. The caller owns the process (close it, ready or not).
     */
    static ServiceProcess launch(String name, TestPostgres.Database database, Map<String, String> extraEnv, int port)
            throws IOException {
        return launch(name, name, database, extraEnv, port);
    }

    /** A second instance of a service gets its own {@code instance} name: its log is {@code target/<instance>.log}. */
    static ServiceProcess launch(String name, String instance, TestPostgres.Database database,
                                 Map<String, String> extraEnv, int port) throws IOException {
        ServiceDefinition definition = ServiceDefinition.ALL.stream()
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        Map<String, String> env = new HashMap<>(Map.of(
                "PAWFILER_DB_URL", database.jdbcUrl(),
                "PAWFILER_DB_USER", database.user(),
                "PAWFILER_DB_PASSWORD", database.password(),
                "PAWFILER_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers()));
        env.putAll(extraEnv);
        return ServiceProcess.start(projectRoot(), definition, port, env,
                freshLog(instance));
    }

    /**
     * Waits until every launched service is ready. {@code timeout} is for all of them: JVMs starting at once share
     * the cores, so each takes longer than alone.
     */
    static void awaitReady(Duration timeout, ServiceProcess... processes) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServiceProcess process : processes) {
            // at least a moment each: one that is ready by now still passes after a slow sibling
            process.awaitReady(Duration.ofNanos(Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime())));
        }
    }

    /**
     * {@code target/<instance>.log}, or {@code <instance>-2.log}, {@code -3} ... when an earlier process of this run
     * (another test class, a restart) wrote that one: a failed class's logs are still there after the build.
     */
    static Path freshLog(String instance) {
        Path target = projectRoot().resolve("system-tests/target");
        Path log = target.resolve(instance + ".log");
        for (int n = 2; java.nio.file.Files.exists(log) && LOGS_WRITTEN.contains(log); n++) {
            log = target.resolve(instance + "-" + n + ".log");
        }
        LOGS_WRITTEN.add(log);
        return log;
    }

    /** The logs this test JVM has written so far, oldest first. */
    static List<Path> logsWritten() {
        synchronized (LOGS_WRITTEN) {
            return List.copyOf(LOGS_WRITTEN);
        }
    }

    /** Logs this test JVM wrote (older ones, from an earlier build, are overwritten). */
    private static final java.util.Set<Path> LOGS_WRITTEN = java.util.Collections.synchronizedSet(
            new java.util.LinkedHashSet<>());

    /**
     * Stops the processes, any of them null: SIGTERM to all first, so they shut down in parallel, then waits for each.
     * A process left running would stay in its service's consumer group and take a later test class's events.
     */
    static void stopAll(ServiceProcess... processes) {
        List<ServiceProcess> stopping = new ArrayList<>();
        for (ServiceProcess process : processes) {
            if (process != null) {
                process.process().destroy();
                stopping.add(process);
            }
        }
        stopping.forEach(ServiceProcess::close);
    }

    /**
     * Makes the account an admin in auth's own table (what {@code PAWFILER_ADMIN_EMAIL} does at start-up, whose Argon2
     * hash inside the start-up transaction can outlast its timeout on a busy machine); its next sign-in's token
     * carries the admin group.
     */
    static void promoteToAdmin(TestPostgres.Database database, String userId) throws java.sql.SQLException {
        try (var connection = database.connect();
             var promote = connection.prepareStatement("UPDATE auth.users SET is_admin = TRUE WHERE id = ?")) {
            promote.setString(1, userId);
            if (promote.executeUpdate() != 1) {
                throw new AssertionError("no auth account " + userId + " to make admin");
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

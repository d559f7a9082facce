package io.pawfiler.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.opentest4j.AssertionFailedError;

import io.pawfiler.localstack.ServiceProcess;

/**
 * The Open Liberty server {@code services/quiz-service-liberty} builds ({@code target/liberty/wlp}, server
 * {@code quiz-service}) running in the foreground ({@code bin/server run}) in its own process, configured through
 * environment variables as an operator would: {@code HTTP_PORT} (HTTP and gRPC), {@code HTTPS_PORT} and whatever
 * PAWFILER_* settings the caller gives. Liberty's own output ({@code messages.log}, {@code console.log}, its workarea)
 * goes to {@code WLP_OUTPUT_DIR} under {@code system-tests/target}, its stdout/stderr to
 * {@code system-tests/target/<instance>.log} ({@link Services#freshLog}, so {@link ServiceLogsOnFailure} shows its
 * warnings too). The Liberty counterpart of local-stack's {@code ServiceProcess}.
 */
final class LibertyServer implements AutoCloseable {

    static final String SERVER_NAME = "quiz-service";
    private static final int MESSAGES_TAIL = 40;

    private final int port;
    private final Process process;
    private final Path consoleLog;
    private final Path outputDir;
    private final Map<String, String> env;
    private final long startedNanos;
    private volatile Duration readyAfter;

    private LibertyServer(int port, Process process, Path consoleLog, Path outputDir, Map<String, String> env,
                          long startedNanos) {
        this.port = port;
        this.process = process;
        this.consoleLog = consoleLog;
        this.outputDir = outputDir;
        this.env = env;
        this.startedNanos = startedNanos;
    }

    /** {@code services/quiz-service-liberty/target/liberty/wlp}: the Liberty install with the server in it. */
    static Path installDir() {
        return Services.projectRoot().resolve("services/quiz-service-liberty/target/liberty/wlp");
    }

    /** Whether the server is there with an application in its {@code apps/}. */
    static boolean isBuilt() {
        Path apps = installDir().resolve("usr/servers/" + SERVER_NAME + "/apps");
        if (!Files.isDirectory(apps) || !Files.isExecutable(installDir().resolve("bin/server"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(apps)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the server (not waiting for it: see {@link #awaitReady}) on {@code httpPort}; {@code instance} names its
     * output: {@code system-tests/target/<instance>.log} and {@code system-tests/target/<instance>/} (emptied first).
     *
     * @param settings PAWFILER_* settings on top of this JVM's environment
     */
    static LibertyServer start(String instance, int httpPort, Map<String, String> settings) throws IOException {
        if (!isBuilt()) {
            throw new IllegalStateException("no Liberty server at " + installDir() + ": run ./mvnw install -DskipTests"
                    + " -pl services/quiz-service-liberty -am first");
        }
        Path outputDir = Services.projectRoot().resolve("system-tests/target/" + instance);
        deleteRecursively(outputDir); // a fresh workarea (a cold start) and only this run's messages.log
        Files.createDirectories(outputDir);
        Path consoleLog = Services.freshLog(instance);
        Files.createDirectories(consoleLog.getParent());

        Map<String, String> env = new HashMap<>(settings);
        // the JDK this test runs on (JDK 21+), whatever JAVA_HOME the build had
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.putIfAbsent("HTTPS_PORT", String.valueOf(Services.freePort()));
        env.put("WLP_OUTPUT_DIR", outputDir.toString());
        ProcessBuilder builder = new ProcessBuilder(installDir().resolve("bin/server").toString(), "run", SERVER_NAME)
                .directory(installDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(consoleLog.toFile());
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new LibertyServer(httpPort, builder.start(), consoleLog, outputDir, Map.copyOf(env), started);
    }

    /**
     * Waits for {@code GET /health/ready} 200 (application started, schema migrated, dependencies up). A server that
     * exits or is not ready in time fails with the tail of its {@code messages.log}.
     */
    LibertyServer awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Liberty " + SERVER_NAME + " exited with " + process.exitValue()
                        + "; see " + consoleLog + " and " + messagesLog() + messagesTail());
            }
            if (get("/health/ready") == 200) {
                readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
                return this;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Liberty " + SERVER_NAME + " not ready after " + timeout.toSeconds()
                + " s (GET /health/ready: " + get("/health/ready") + "); see " + messagesLog() + messagesTail());
    }

    /** Process start to the first {@code /health/ready} 200; null until {@link #awaitReady} returned. */
    Duration readyTime() {
        return readyAfter;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** {@code <WLP_OUTPUT_DIR>/quiz-service/logs/messages.log}. */
    Path messagesLog() {
        return outputDir.resolve(SERVER_NAME + "/logs/messages.log");
    }

    /** The last lines of {@code messages.log} (each cut at 400 characters), as a block for a failure message. */
    String messagesTail() {
        Path log = messagesLog();
        if (!Files.exists(log)) {
            return "\n--- " + log + ": not written";
        }
        Deque<String> last = new ArrayDeque<>();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                last.addLast(line.length() > 400 ? line.substring(0, 400) + "…" : line);
                if (last.size() > MESSAGES_TAIL) {
                    last.removeFirst();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return "\n--- " + log + ": unreadable (" + e + ")";
        }
        return "\n--- messages.log of Liberty " + SERVER_NAME + " (last " + last.size() + " lines)\n"
                + String.join("\n", last);
    }

    /** {@code failure} with the tail of {@code messages.log} appended to its message (the server may be null). */
    static Throwable withMessagesTail(LibertyServer server, Throwable failure) {
        if (server == null || failure instanceof org.opentest4j.TestAbortedException) {
            return failure;
        }
        AssertionFailedError annotated = new AssertionFailedError(failure.getMessage() + server.messagesTail(),
                failure);
        annotated.setStackTrace(failure.getStackTrace());
        return annotated;
    }

    /**
     * SIGTERM (Liberty's {@code server run} execs the JVM, whose shutdown hook stops the server: consumers leave their
     * group, the outbox relay ends); {@code bin/server stop} if it is still running after {@code grace}, then SIGKILL.
     * Returns the exit code, -1 if it had to be killed.
     */
    int stop(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            ProcessBuilder stopCommand = new ProcessBuilder(installDir().resolve("bin/server").toString(), "stop",
                    SERVER_NAME).directory(installDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
            // the same WLP_OUTPUT_DIR and JAVA_HOME, or the stop command would look for another server's pid
            stopCommand.environment().putAll(env);
            Process stop = stopCommand.start();
            if (!stop.waitFor(30, TimeUnit.SECONDS)) {
                stop.destroyForcibly();
            }
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // no stop command: kill it below
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return -1;
    }

    /** {@link #stop} with 30 s grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** GET {@code path}; the status code, -1 if the server did not answer. */
    int get(String path) {
        return ServiceProcess.httpStatus(baseUrl() + path);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public String toString() {
        return "Liberty " + SERVER_NAME + " " + baseUrl() + " (" + List.of(consoleLog, messagesLog()) + ")";
    }
}

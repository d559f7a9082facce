package io.pawfiler.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One built service running in its own JVM ({@code io.helidon.microprofile.cdi.Main} over the module's jar — or
 * {@code target/classes} if the jar is missing or stale — + {@code target/classpath.txt}), with the JVM flags of
 * {@code services/jvm.options} (+ {@code services/<name>/jvm.options}), configured through environment variables
 * exactly as an operator would. Used by {@code ./pawfiler up} and by the cross-service system tests.
 */
public final class ServiceProcess implements AutoCloseable {

    private final ServiceDefinition service;
    private final int port;
    private final Process process;
    private final Path logFile;
    private final String note;
    private final long startedNanos;
    private volatile Duration readyAfter;

    private ServiceProcess(ServiceDefinition service, int port, Process process, Path logFile, String note,
                           long startedNanos) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.logFile = logFile;
        this.note = note;
        this.startedNanos = startedNanos;
    }

    /**
     * @param env PAWFILER_* settings on top of this JVM's environment; {@code SERVER_PORT} is set from {@code port}
     */
    public static ServiceProcess start(Path projectRoot, ServiceDefinition service, int port, Map<String, String> env,
                                       Path logFile) throws IOException {
        return start(projectRoot, service, port, env, logFile, List.of(), "");
    }

    /**
     * @param jvmOptions flags after the jvm.options files (e.g. an AOT cache)
     * @param note       appended to the line {@link #awaitReady} prints, e.g. {@code "(AOT cache)"}
     */
    public static ServiceProcess start(Path projectRoot, ServiceDefinition service, int port, Map<String, String> env,
                                       Path logFile, List<String> jvmOptions, String note) throws IOException {
        if (!service.isBuilt(projectRoot)) {
            throw new IllegalStateException(service.name() + " is not built: run ./mvnw install -DskipTests first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(service.jvmOptionFiles(projectRoot));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", service.runtimeClasspath(projectRoot), "io.helidon.microprofile.cdi.Main"));
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        long started = System.nanoTime();
        return new ServiceProcess(service, port, builder.start(), logFile, note, started);
    }

    /** Waits for {@code /health/ready} (schema migrated, dependencies up), then prints the {@link #readyLine()}. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        awaitReadyQuietly(timeout);
        System.out.println(readyLine());
        return this;
    }

    /** {@link #awaitReady} without the console line. */
    public ServiceProcess awaitReadyQuietly(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited; see " + logFile);
            }
            if (httpStatus(baseUrl() + "/health/ready") == 200) {
                readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(service.name() + " not ready after " + timeout.toSeconds() + " s; see "
                + logFile);
    }

    /** Process start to the first {@code /health/ready} 200; null until {@link #awaitReady} returned. */
    public Duration readyTime() {
        return readyAfter;
    }

    /** e.g. {@code quiz-service  http://localhost:8082  ready in 3.2 s (AOT cache)}. */
    public String readyLine() {
        String ready = readyAfter == null ? "not ready"
                : String.format("ready in %.1f s", readyAfter.toMillis() / 1000.0);
        return String.format("%-22s %-22s %s%s", service.name(), baseUrl(), ready, note.isEmpty() ? "" : " " + note);
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * SIGTERM (the service flushes its outbox and closes consumers; a training run writes its AOT cache), SIGKILL
     * after {@code grace}. Returns the exit code, -1 if it had to be killed.
     */
    public int stop(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // with it any child (a training run's AOT cache assembler), which would otherwise keep running orphaned
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return -1;
    }

    /**
     * SIGKILL at once, as a crash would end it: no shutdown hook, no flush, no consumer leaving its group. Waits until
     * the process is gone; returns how long that took.
     */
    public Duration kill() {
        long began = System.nanoTime();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(service.name() + " still running 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** {@link #stop} with 20 s grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    /** GET {@code path}; the status code, -1 if the service did not answer. */
    public int get(String path) {
        return httpStatus(baseUrl() + path);
    }

    /** GET {@code url}, its body read; the status code, -1 if nothing answered (0.5 s to connect, 2 s to answer). */
    public static int httpStatus(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            // read the body: a training run should execute the whole request
            try (InputStream body = connection.getResponseCode() < 400 ? connection.getInputStream()
                    : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }
}

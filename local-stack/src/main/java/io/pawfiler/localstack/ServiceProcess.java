package io.pawfiler.localstack;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One built service running in its own JVM ({@code io.helidon.microprofile.cdi.Main} over the module's
 * {@code target/classes} + {@code target/classpath.txt}), configured through environment variables exactly as an
 * operator would. Used by {@code ./pawfiler up} and by the cross-service system tests.
 */
public final class ServiceProcess implements AutoCloseable {

    private final ServiceDefinition service;
    private final int port;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(ServiceDefinition service, int port, Process process, Path logFile) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * @param env PAWFILER_* settings on top of this JVM's environment; {@code SERVER_PORT} is set from {@code port}
     */
    public static ServiceProcess start(Path projectRoot, ServiceDefinition service, int port, Map<String, String> env,
                                       Path logFile) throws IOException {
        if (!service.isBuilt(projectRoot)) {
            throw new IllegalStateException(service.name() + " is not built: run ./mvnw install -DskipTests first");
        }
        String classpath = service.classes(projectRoot) + java.io.File.pathSeparator
                + Files.readString(service.classpathFile(projectRoot), StandardCharsets.UTF_8).trim();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath,
                "io.helidon.microprofile.cdi.Main"));
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        return new ServiceProcess(service, port, builder.start(), logFile);
    }

    /** Waits for {@code /health/ready} (schema migrated, dependencies up). */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited; see " + logFile);
            }
            if (httpStatus("http://localhost:" + port + "/health/ready") == 200) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(service.name() + " not ready after " + timeout.toSeconds() + " s; see "
                + logFile);
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

    /** SIGTERM first (the service flushes its outbox and closes consumers), SIGKILL after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int httpStatus(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }
}

package io.pawfiler.paymentsandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox in a JVM of its own, as {@code ./pawfiler up} runs it: {@link SandboxProvider#main} on this JVM's
 * classpath entries for the sandbox and its JSON library, configured through the environment
 * ({@link Settings#toEnvironment()}, so no secret shows on a command line), output to a log file. The child exits by
 * itself when this JVM goes away (its standard input closes).
 */
public final class SandboxProcess implements AutoCloseable {

    /** A small heap and C1: the sandbox holds a few payments and answers a handful of requests. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    private final Process process;
    private final int port;
    private final Path logFile;
    private final long launchedAtMillis;
    private volatile Duration readyTime;

    private SandboxProcess(Process process, int port, Path logFile, long launchedAtMillis) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.launchedAtMillis = launchedAtMillis;
    }

    /**
     * {@link #launch} and {@link #awaitReady}.
     *
     * @throws IllegalStateException if the child exits (e.g. the port is taken) or is not ready within the timeout
     */
    public static SandboxProcess start(Settings settings, Path logFile, Duration readyTimeout)
            throws IOException, InterruptedException {
        return launch(settings, logFile).awaitReady(readyTimeout);
    }

    /** Starts the child JVM without waiting for it. Port 0 in the settings: a free port is picked first. */
    public static SandboxProcess launch(Settings settings, Path logFile) throws IOException {
        int port = settings.port() != 0 ? settings.port() : freePort();
        Settings effective = settings.toBuilder().port(port).build();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath(), SandboxProvider.class.getName(), "--exit-on-stdin-eof"));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(effective.toEnvironment());
        long launchedAt = System.currentTimeMillis();
        return new SandboxProcess(builder.start(), port, logFile, launchedAt);
    }

    /**
     * Waits until the child's {@code /sandbox/health} answers with the child's pid (not some other sandbox that
     * already had the port).
     *
     * @throws IllegalStateException if the child exits (e.g. the port is taken) or is not ready within the timeout;
     *                               the child is then stopped
     */
    public SandboxProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String health = "http://127.0.0.1:" + port + "/sandbox/health";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("payment-sandbox exited with " + process.exitValue() + "; see "
                        + logFile + tail(logFile));
            }
            long[] answer = health(health);
            if (answer != null && answer[0] == process.pid()) {
                // the child's own ready instant: this may be looking only now
                readyTime = Duration.ofMillis(Math.max(0, answer[1] - launchedAtMillis));
                return this;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("payment-sandbox not ready after " + timeout.toSeconds() + " s; see "
                + logFile + tail(logFile));
    }

    /** The classpath of the child: where this JVM loaded the sandbox, jakarta.json and Parsson from. */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(location(SandboxProvider.class));
        entries.add(location(jakarta.json.Json.class));
        try {
            entries.add(location(Class.forName("org.eclipse.parsson.JsonProviderImpl")));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Parsson (org.eclipse.parsson:parsson) is not on the classpath", e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://localhost:<port>} (the sandbox listens on 127.0.0.1). */
    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** From process start to the first healthy answer; null until {@link #awaitReady} returned. */
    public Duration readyTime() {
        return readyTime;
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    /** {@link #stop} with 5 s grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The pid and ready instant {@code /sandbox/health} reports; null unless it answers 200. */
    private static long[] health(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            if (connection.getResponseCode() != 200) {
                try (InputStream body = connection.getErrorStream()) {
                    if (body != null) {
                        body.transferTo(OutputStream.nullOutputStream());
                    }
                }
                return null;
            }
            try (InputStream body = connection.getInputStream()) {
                jakarta.json.JsonObject json = Json.parseObject(new String(body.readAllBytes(),
                        StandardCharsets.UTF_8));
                return new long[] {json.getJsonNumber("pid").longValueExact(),
                        json.getJsonNumber("readyAt").longValueExact()};
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}

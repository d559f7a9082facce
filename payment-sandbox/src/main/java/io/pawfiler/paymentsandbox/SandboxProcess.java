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
    private final Duration readyTime;

    private SandboxProcess(Process process, int port, Path logFile, Duration readyTime) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.readyTime = readyTime;
    }

    /**
     * Starts the child and waits until {@code /sandbox/health} answers. Port 0 in the settings: a free port is picked
     * first.
     *
     * @throws IllegalStateException if the child exits (e.g. the port is taken) or is not ready within the timeout
     */
    public static SandboxProcess start(Settings settings, Path logFile, Duration readyTimeout)
            throws IOException, InterruptedException {
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
        long began = System.nanoTime();
        Process process = builder.start();
        long deadline = began + readyTimeout.toNanos();
        String health = "http://127.0.0.1:" + port + "/sandbox/health";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("payment-sandbox exited with " + process.exitValue() + "; see "
                        + logFile + tail(logFile));
            }
            // the pid: not some other sandbox that already had the port
            if (healthyPid(health) == process.pid()) {
                return new SandboxProcess(process, port, logFile, Duration.ofNanos(System.nanoTime() - began));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("payment-sandbox not ready after " + readyTimeout.toSeconds() + " s; see "
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

    /** From process start to the first healthy answer. */
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

    /** The pid {@code /sandbox/health} reports, -1 if it does not answer 200. */
    private static long healthyPid(String url) {
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
                return -1;
            }
            try (InputStream body = connection.getInputStream()) {
                return Json.parseObject(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                        .getJsonNumber("pid").longValueExact();
            }
        } catch (IOException | RuntimeException e) {
            return -1;
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

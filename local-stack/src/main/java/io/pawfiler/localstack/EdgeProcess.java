package io.pawfiler.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The front door on :8080 in a process of its own: real Envoy with {@code gateway-envoy/envoy.yaml} when an
 * {@code envoy} binary is on the PATH (and the file exists), otherwise the Java edge (module {@code edge}, Armeria) in
 * its own JVM on {@code edge/target/classpath.txt}: its grpc-java 1.78 and Netty 4.2 must never share a JVM with
 * Helidon's grpc 1.65. Ready when {@code GET <admin>/ready} answers 200 (Envoy's admin port, the Java edge's too).
 */
public final class EdgeProcess implements AutoCloseable {

    public static final String MODULE = "edge";
    public static final String ENVOY_CONFIG = "gateway-envoy/envoy.yaml";
    public static final String DESCRIPTOR_SET = "api-contracts/target/classes/descriptors/pawfiler.pb";

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path logFile;
    private final String kind;
    private final long startedNanos;
    private volatile Duration readyAfter;

    private EdgeProcess(Process process, int port, int adminPort, Path logFile, String kind, long startedNanos) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.logFile = logFile;
        this.kind = kind;
        this.startedNanos = startedNanos;
    }

    /** Whether the Java edge has been built ({@code ./mvnw install -pl edge -am}). */
    public static boolean isBuilt(Path root) {
        return Files.isRegularFile(root.resolve(MODULE).resolve("target/classpath.txt")) && jar(root).isPresent();
    }

    /** {@code envoy} on the PATH, if there is one. */
    public static Optional<Path> envoyOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, "envoy"))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * The Java edge.
     *
     * @param env PAWFILER_* settings of the edge on top of this JVM's environment (upstreams, JWKS URL, origins);
     *            {@code PAWFILER_EDGE_PORT} and {@code PAWFILER_EDGE_ADMIN_PORT} are set from the ports
     */
    public static EdgeProcess startJava(Path root, int port, int adminPort, Map<String, String> env, Path logFile)
            throws IOException {
        Path jar = jar(root).orElseThrow(() -> new IllegalStateException(
                "the edge is not built: run ./mvnw install -DskipTests -pl edge -am first"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + root.resolve(MODULE).resolve("jvm.options"));
        command.addAll(List.of("-cp", jar + File.pathSeparator
                + Files.readString(root.resolve(MODULE).resolve("target/classpath.txt")).trim(),
                "io.pawfiler.edge.Edge"));
        ProcessBuilder builder = processBuilder(root, command, logFile);
        builder.environment().putAll(env);
        builder.environment().put("PAWFILER_EDGE_PORT", String.valueOf(port));
        builder.environment().put("PAWFILER_EDGE_ADMIN_PORT", String.valueOf(adminPort));
        long started = System.nanoTime();
        return new EdgeProcess(builder.start(), port, adminPort, logFile,
                "Java edge; Envoy config: " + ENVOY_CONFIG, started);
    }

    /**
     * Envoy with a copy of {@code gateway-envoy/envoy.yaml} for this machine ({@link #localEnvoyConfig}) written to
     * {@code configCopy}. Its ports are the file's (8080, admin 9901).
     */
    public static EdgeProcess startEnvoy(Path root, Path envoy, Path configCopy, Path logFile) throws IOException {
        String config = localEnvoyConfig(Files.readString(root.resolve(ENVOY_CONFIG)),
                root.resolve(DESCRIPTOR_SET).toAbsolutePath());
        Files.createDirectories(configCopy.toAbsolutePath().getParent());
        Files.writeString(configCopy, config);
        List<String> command = List.of(envoy.toString(), "-c", configCopy.toString(), "--log-level", "warn");
        long started = System.nanoTime();
        return new EdgeProcess(processBuilder(root, command, logFile).start(), 8080, 9901, logFile,
                "Envoy " + envoy + "; config: " + configCopy + " from " + ENVOY_CONFIG, started);
    }

    /**
     * envoy.yaml is written for compose: upstreams are the services' container names and the descriptor set is
     * mounted at {@code /etc/envoy/pawfiler.pb}. On this machine every service listens on localhost, so each
     * {@code address: <service>} and {@code http://<service>:<port>} becomes localhost and the descriptor path the
     * build's.
     */
    static String localEnvoyConfig(String envoyYaml, Path descriptorSet) {
        String config = envoyYaml;
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            String name = Pattern.quote(service.name());
            config = config.replaceAll("(address:\\s*)" + name + "\\b", "$1127.0.0.1")
                    .replaceAll("//" + name + ":", "//localhost:");
        }
        return config.replaceAll("(proto_descriptor:\\s*)\\S+",
                "$1" + Matcher.quoteReplacement(descriptorSet.toString()));
    }

    private static ProcessBuilder processBuilder(Path root, List<String> command, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        return new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    }

    private static Optional<Path> jar(Path root) {
        try (Stream<Path> files = Files.list(root.resolve(MODULE).resolve("target"))) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(MODULE + "-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                        && !name.endsWith("-tests.jar");
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Waits for {@code /ready} on the admin port (the first JWKS fetch done), then prints the {@link #readyLine}. */
    public EdgeProcess awaitReady(Duration timeout) throws InterruptedException {
        awaitReadyQuietly(timeout);
        System.out.println(readyLine());
        return this;
    }

    public EdgeProcess awaitReadyQuietly(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("edge exited with " + process.exitValue() + "; see " + logFile);
            }
            if (ServiceProcess.httpStatus("http://localhost:" + adminPort + "/ready") == 200) {
                readyAfter = Duration.ofNanos(System.nanoTime() - startedNanos);
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("edge not ready after " + timeout.toSeconds() + " s; see " + logFile);
    }

    /** e.g. {@code edge  http://localhost:8080  ready in 2.1 s (Java edge; Envoy config: gateway-envoy/envoy.yaml)}. */
    public String readyLine() {
        String ready = readyAfter == null ? "not ready"
                : String.format("ready in %.1f s", readyAfter.toMillis() / 1000.0);
        return String.format("%-22s %-22s %s (%s)", "edge", baseUrl(), ready, kind);
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

    /** SIGTERM, SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}

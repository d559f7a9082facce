package io.pawfiler.kafkabroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) in a child JVM.
 *
 * <p>Why a child JVM: the broker (kafka_2.13 4.x) needs kafka-clients 4.x, while Helidon's Kafka connector in
 * the services uses kafka-clients 3.6; one classpath cannot hold both. This class uses only the JDK; the broker's
 * classpath is the list this module's build wrote into {@code broker.classpath}.
 *
 * <p>Data lives in {@code dataDir}; stopping and starting again keeps topics and records, on the same ports.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String READY_LINE = "Kafka Server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final int partitions;
    private final List<String> jvmOptions;
    private Process process;
    private Thread shutdownHook;

    private KafkaBrokerProcess(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.brokerPort = builder.brokerPort == 0 ? freePort() : builder.brokerPort;
        this.controllerPort = builder.controllerPort == 0 ? freePort() : builder.controllerPort;
        this.partitions = builder.partitions;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the storage on first use, starts the broker and waits until it serves clients. */
    public synchronized KafkaBrokerProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Path properties = writeServerProperties();
            writeLogConfig();
            if (!Files.exists(logDir().resolve("meta.properties"))) {
                runToCompletion(List.of("kafka.tools.StorageTool", "format", "-t", newClusterId(),
                        "-c", properties.toString(), "--ignore-formatted"), dataDir.resolve("format.log"));
            }
            Path log = logFile();
            Files.deleteIfExists(log);
            process = new ProcessBuilder(javaCommand(List.of("kafka.Kafka", properties.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            installShutdownHook();
            awaitReady(log);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka broker did not start", e);
        }
    }

    /** Stops the broker gracefully (it flushes and closes its logs), forcibly if it takes too long. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run
            }
            shutdownHook = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private Path writeServerProperties() throws IOException {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir(),
                "num.partitions=" + partitions,
                "auto.create.topics.enable=true",
                // one node: every internal topic has a single replica
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }

    /** INFO to stdout (redirected to the log file): the start-up line is how we know the broker is ready. */
    private void writeLogConfig() throws IOException {
        Files.writeString(dataDir.resolve("log4j2.properties"), String.join("\n",
                "status=warn",
                "appender.out.type=Console",
                "appender.out.name=OUT",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=OUT",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                ""), StandardCharsets.UTF_8);
    }

    private void runToCompletion(List<String> mainAndArgs, Path log) throws IOException {
        Process tool = new ProcessBuilder(javaCommand(mainAndArgs))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                tool.destroyForcibly();
                throw new IllegalStateException("Kafka storage format failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(READY_LINE)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
        stop();
        throw new IllegalStateException("Kafka broker not ready after " + START_TIMEOUT + ":\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private List<String> javaCommand(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties"));
        command.add("-cp");
        command.add(brokerClasspath());
        command.addAll(mainAndArgs);
        return command;
    }

    private static String brokerClasspath() {
        try (InputStream list = KafkaBrokerProcess.class.getResourceAsStream("broker.classpath")) {
            Objects.requireNonNull(list, "broker.classpath missing: build the kafka-broker module with Maven");
            return new String(list.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] uuid = new byte[16];
        String id;
        do {
            random.nextBytes(uuid);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        } while (id.startsWith("-")); // the storage tool would read a leading '-' as an option (Kafka's Uuid avoids it too)
        return id;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installShutdownHook() {
        if (shutdownHook == null) {
            Process child = process;
            shutdownHook = new Thread(() -> child.destroyForcibly(), "kafka-broker-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Runs a broker in the foreground until the JVM is stopped: {@code KafkaBrokerProcess <dataDir> <port>}. */
    public static void main(String[] args) throws InterruptedException {
        KafkaBrokerProcess broker = builder()
                .dataDir(Path.of(args.length > 0 ? args[0] : ".pawfiler/kafka"))
                .brokerPort(args.length > 1 ? Integer.parseInt(args[1]) : 9092)
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers());
        Thread.currentThread().join();
    }

    public static final class Builder {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private int partitions = 3;
        private List<String> jvmOptions = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto");

        private Builder() {
        }

        /** Where topics and records live; a temporary directory if not set. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** 0 (default) picks a free port. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public KafkaBrokerProcess build() {
            if (dataDir == null) {
                try {
                    dataDir = Files.createTempDirectory("pawfiler-kafka");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new KafkaBrokerProcess(this);
        }
    }
}

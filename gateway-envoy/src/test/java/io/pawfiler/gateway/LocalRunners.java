package io.pawfiler.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the project's own runners configure, read from their sources so compose.yaml can be held to the same:
 * the environment ./pawfiler up (local-stack's LocalStack) gives each service, the glibc settings it gives every
 * JVM, the broker settings of kafka-broker's KafkaBrokerProcess, and the variables payment-sandbox reads.
 * Each scan fails loudly when it finds nothing, so a refactoring of those files cannot make a check vacuous.
 */
final class LocalRunners {

    static final String LOCAL_STACK = "local-stack/src/main/java/io/pawfiler/localstack/LocalStack.java";
    static final String KAFKA_BROKER = "kafka-broker/src/main/java/io/pawfiler/kafkabroker/KafkaBrokerProcess.java";
    static final String SANDBOX_SETTINGS = "payment-sandbox/src/main/java/io/pawfiler/paymentsandbox/Settings.java";

    private LocalRunners() {
    }

    /** Environment variable names ./pawfiler up sets, per service name; key "*" = every service. */
    static Map<String, Set<String>> serviceEnvironment() {
        String source = Repo.read(LOCAL_STACK);
        Map<String, String> constants = constants(source);
        String launch = body(source, "private ServiceProcess launch(ServiceDefinition service, List<String> jvmOptions, String note, Path log)");
        Map<String, Set<String>> env = new TreeMap<>();
        Matcher conditional = Pattern.compile("if \\(service\\.name\\(\\)\\.equals\\(\"([a-z-]+)\"\\)").matcher(launch);
        StringBuilder unconditional = new StringBuilder();
        int from = 0;
        while (conditional.find(from)) {
            int open = launch.indexOf('{', conditional.end());
            int close = matching(launch, open);
            unconditional.append(launch, from, conditional.start());
            String block = launch.substring(open, close);
            Set<String> names = env.computeIfAbsent(conditional.group(1), k -> new TreeSet<>());
            names.addAll(puts(block));
            if (block.contains("env.putAll(paymentProviderEnvironment())")) {
                Matcher put = Pattern.compile("env\\.put\\((\\w+),").matcher(
                        body(source, "Map<String, String> paymentProviderEnvironment()"));
                while (put.find()) {
                    names.add(constants.get(put.group(1)));
                }
            }
            from = close;
        }
        unconditional.append(launch.substring(from));
        env.put("*", puts(unconditional.toString()));
        if (env.get("*").isEmpty() || env.size() < 2) {
            throw new IllegalStateException(LOCAL_STACK + ": found no environment in launch(...); update LocalRunners");
        }
        return env;
    }

    /** LocalStack.NATIVE_MEMORY_ENVIRONMENT: glibc malloc settings every service JVM gets. */
    static Map<String, String> nativeMemoryEnvironment() {
        String source = Repo.read(LOCAL_STACK);
        int start = source.indexOf("NATIVE_MEMORY_ENVIRONMENT = Map.of(");
        String entries = source.substring(start, source.indexOf(");", start));
        Map<String, String> env = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("\"([A-Z_]+)\",\\s*\"([^\"]*)\"").matcher(entries);
        while (pair.find()) {
            env.put(pair.group(1), pair.group(2));
        }
        if (start < 0 || env.isEmpty()) {
            throw new IllegalStateException(LOCAL_STACK + ": NATIVE_MEMORY_ENVIRONMENT not found; update LocalRunners");
        }
        return env;
    }

    /** The broker's settings with literal values (properties.put("k", "v") and the fixed server.properties lines). */
    static Map<String, String> brokerProperties() {
        String source = Repo.read(KAFKA_BROKER);
        Map<String, String> properties = new TreeMap<>();
        Matcher put = Pattern.compile("properties\\.put\\(\"([a-z.]+)\", \"([^\"]*)\"\\)").matcher(source);
        while (put.find()) {
            properties.put(put.group(1), put.group(2));
        }
        Matcher line = Pattern.compile("\"((?:process\\.roles|node\\.id|controller\\.listener\\.names|"
                + "inter\\.broker\\.listener\\.name))=([^\"]*)\"").matcher(source);
        while (line.find()) {
            properties.put(line.group(1), line.group(2));
        }
        Matcher partitions = Pattern.compile("private int partitions = (\\d+);").matcher(source);
        if (partitions.find()) {
            properties.put("num.partitions", partitions.group(1));
        }
        if (!properties.containsKey("log.retention.ms") || !properties.containsKey("process.roles")) {
            throw new IllegalStateException(KAFKA_BROKER + ": broker settings not found; update LocalRunners");
        }
        return properties;
    }

    /** The environment variables payment-sandbox reads (Settings.ENV_*). */
    static Set<String> sandboxEnvironment() {
        Set<String> names = new TreeSet<>(constants(Repo.read(SANDBOX_SETTINGS)).values());
        names.removeIf(n -> !n.startsWith("PAWFILER_PAYMENT_SANDBOX_"));
        if (names.isEmpty()) {
            throw new IllegalStateException(SANDBOX_SETTINGS + ": no ENV_ constants; update LocalRunners");
        }
        return names;
    }

    private static Set<String> puts(String code) {
        Set<String> names = new TreeSet<>();
        Matcher put = Pattern.compile("env\\.put\\(\"([A-Z_]+)\"").matcher(code);
        while (put.find()) {
            names.add(put.group(1));
        }
        return names;
    }

    private static Map<String, String> constants(String source) {
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher constant = Pattern.compile("static final String (\\w+) = \"([^\"]*)\";").matcher(source);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        return constants;
    }

    private static String body(String source, String signature) {
        int at = source.indexOf(signature);
        if (at < 0) {
            throw new IllegalStateException("not found: " + signature + "; update LocalRunners");
        }
        int open = source.indexOf('{', at);
        return source.substring(open, matching(source, open));
    }

    private static int matching(String source, int open) {
        int depth = 0;
        for (int i = open; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

}

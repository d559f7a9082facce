package io.pawfiler.gateway;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The services as their own source tree describes them: each module under services/ with its
 * META-INF/microprofile-config.properties on top of platform's defaults (ordinal 50 under the service's 100), the
 * configuration keys it reads, and the gRPC services it implements. Nothing here is restated by hand.
 */
final class ServiceConfigs {

    static final String PLATFORM_CONFIG = "platform/src/main/resources/META-INF/microprofile-config.properties";

    /** One service module: its directory name (= compose service name = Envoy upstream host). */
    record Service(String name, Properties config, Set<String> keys, Set<String> grpcServices) {

        String get(String key) {
            String value = config.getProperty(key);
            return value == null ? null : resolve(value, config);
        }

        int port() {
            return Integer.parseInt(get("server.port"));
        }

        Set<String> publicGrpcMethods() {
            String list = get("pawfiler.security.public-grpc-methods");
            return list == null || list.isBlank() ? Set.of() : Arrays.stream(list.split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        }

        /** Whether an environment variable names a key this service reads (MicroProfile Config's mapping). */
        boolean readsEnv(String variable) {
            return keys.stream().anyMatch(key -> envName(key).equals(variable));
        }

        Service with(String key, String value) {
            Properties changed = new Properties();
            changed.putAll(config);
            changed.setProperty(key, value);
            return new Service(name, changed, keys, grpcServices);
        }
    }

    private final Map<String, Service> services;

    ServiceConfigs(Map<String, Service> services) {
        this.services = Map.copyOf(services);
    }

    Map<String, Service> all() {
        return services;
    }

    Service get(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " under services/");
        }
        return service;
    }

    /** As if a service module had another directory name (for tests of what names must match). */
    ServiceConfigs withRenamed(String service, String newName) {
        Map<String, Service> changed = new LinkedHashMap<>(services);
        Service old = changed.remove(service);
        changed.put(newName, new Service(newName, old.config(), old.keys(), old.grpcServices()));
        return new ServiceConfigs(changed);
    }

    ServiceConfigs with(String service, String key, String value) {
        Map<String, Service> changed = new LinkedHashMap<>(services);
        changed.put(service, get(service).with(key, value));
        return new ServiceConfigs(changed);
    }

    static ServiceConfigs load() {
        Properties platform = properties(Repo.read(PLATFORM_CONFIG));
        Set<String> platformKeys = keysIn(Repo.path("platform/src/main"));
        platformKeys.addAll(keysIn(Repo.path("platform-helidon/src/main")));
        Map<String, Service> services = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(Repo.path("services"))) {
            for (Path module : modules.sorted().toList()) {
                Path config = module.resolve("src/main/resources/META-INF/microprofile-config.properties");
                if (!Files.isRegularFile(config) || !Files.isDirectory(module.resolve("src/main/java"))) {
                    // the aggregator pom, a module without an application yet, or a service packaged for another
                    // runtime (quiz-service-liberty: quiz-service's jar, no code or routes of its own)
                    continue;
                }
                Properties effective = new Properties();
                effective.putAll(platform);
                effective.putAll(properties(Files.readString(config)));
                Set<String> keys = new TreeSet<>(platformKeys);
                keys.addAll(keysIn(module.resolve("src/main")));
                String name = module.getFileName().toString();
                services.put(name, new Service(name, effective, keys, grpcServicesIn(module.resolve("src/main/java"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (services.isEmpty()) {
            throw new IllegalStateException("no service modules found under " + Repo.path("services"));
        }
        return new ServiceConfigs(services);
    }

    /** MicroProfile Config's environment name of a property: non-alphanumerics to '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    static Properties properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static final Pattern COMMENTED_KEY = Pattern.compile("(?m)^#\\s*([a-z][A-Za-z0-9.-]+)=");
    private static final Pattern KEY_LITERAL = Pattern.compile("\"((?:pawfiler|server|mp)\\.[a-z0-9.-]+[a-z0-9])\"");

    /**
     * The keys a module reads: those set in its properties, those documented there as commented-out settings
     * ({@code # pawfiler.auth.key-encryption-secret=}), and those named in its Java code ({@code @ConfigProperty}).
     */
    static Set<String> keysIn(Path srcMain) {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(srcMain)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("microprofile-config.properties")) {
                    String text = Files.readString(file);
                    properties(text).stringPropertyNames().forEach(keys::add);
                    Matcher commented = COMMENTED_KEY.matcher(text);
                    while (commented.find()) {
                        keys.add(commented.group(1));
                    }
                } else if (name.endsWith(".java")) {
                    Matcher literal = KEY_LITERAL.matcher(Files.readString(file));
                    while (literal.find()) {
                        keys.add(literal.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    private static final Pattern IMPL_BASE = Pattern.compile("\\b(\\w+)Grpc\\.\\1ImplBase\\b");

    /** Simple names of the gRPC services a module implements ({@code extends QuizServiceGrpc.QuizServiceImplBase}). */
    static Set<String> grpcServicesIn(Path srcMainJava) {
        Set<String> services = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(srcMainJava)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = IMPL_BASE.matcher(Files.readString(file));
                while (m.find()) {
                    services.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return services;
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    static String resolve(String value, Properties config) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String referenced = config.getProperty(m.group(1));
            String replacement = referenced != null ? resolve(referenced, config) : m.group(2) != null ? m.group(2) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}

package io.pawfiler.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import io.grpc.MethodDescriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The Java edge keeps its own copy of what envoy.yaml says (routes, timeouts, public operations, CORS), because it
 * cannot run Envoy's config. This test holds the two together: it reads {@code gateway-envoy/envoy.yaml} (or the file
 * at {@code -Dpawfiler.envoy.yaml}) and, for every gRPC method of the six services and every REST route, resolves it
 * as Envoy would (first matching route) and as the edge does, and compares cluster, timeout, token rule and read retries; a missing
 * envoy.yaml fails it. The public gRPC methods are also compared with the services' own
 * {@code pawfiler.security.public-grpc-methods}, which needs no Envoy file.
 */
class EnvoyParityTest {

    private static final Path ROOT = Path.of(System.getProperty("pawfiler.root", "..")).toAbsolutePath().normalize();

    private static Map<String, Object> envoy;

    @BeforeAll
    static void readEnvoyConfig() throws IOException {
        Path file = Path.of(System.getProperty("pawfiler.envoy.yaml", ROOT.resolve("gateway-envoy/envoy.yaml")
                .toString()));
        if (Files.isRegularFile(file)) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(1000);
            envoy = new Yaml(options).load(Files.readString(file));
        }
    }

    @Test
    void thePublicGrpcMethodsAreExactlyTheServicesOwn() throws IOException {
        TreeSet<String> services = new TreeSet<>();
        try (Stream<Path> configs = Files.list(ROOT.resolve("services"))) {
            for (Path config : configs.map(s -> s.resolve("src/main/resources/META-INF/microprofile-config.properties"))
                    .filter(Files::isRegularFile).toList()) {
                Properties properties = new Properties();
                try (var in = Files.newInputStream(config)) {
                    properties.load(in);
                }
                for (String method : properties.getProperty("pawfiler.security.public-grpc-methods", "").split(",")) {
                    if (!method.isBlank()) {
                        services.add(method.strip());
                    }
                }
            }
        }
        assertEquals(services, new TreeSet<>(EdgeSettings.DEFAULT_PUBLIC_GRPC_METHODS));
    }

    @Test
    void everyGrpcMethodGoesToTheSameServiceWithTheSameTimeoutAndTokenRule() {
        assertNotNull(envoy, "gateway-envoy/envoy.yaml is missing");
        EdgeRoutes edge = new EdgeRoutes(EdgeSettings.DEFAULT_PUBLIC_GRPC_METHODS);
        for (Upstream upstream : Upstream.values()) {
            for (MethodDescriptor<?, ?> method : upstream.grpcService().getMethods()) {
                String path = "/" + method.getFullMethodName();
                Map<String, Object> route = envoyRoute(path, "POST");
                assertNotNull(route, "Envoy routes " + path);
                assertEquals(upstream.serviceName() + "-grpc", cluster(route), path);
                assertEquals(timeout(route), EdgeRoutes.grpcTimeout(path), path);
                assertEquals(envoyAccess(path), edge.access(path), path);
                assertEquals(retries(route), EdgeRoutes.retriesGrpc(path), path + " retried");
            }
        }
    }

    @Test
    void everyRestRouteGoesToTheSameServiceWithTheSameTimeoutAndTokenRule() {
        assertNotNull(envoy, "gateway-envoy/envoy.yaml is missing");
        EdgeRoutes edge = new EdgeRoutes(EdgeSettings.DEFAULT_PUBLIC_GRPC_METHODS);
        List<String> envoyRestRoutes = new ArrayList<>();
        for (Map<String, Object> route : routes()) {
            String cluster = cluster(route);
            if (cluster == null || !cluster.endsWith("-rest")) {
                continue;
            }
            for (String sample : samples(map(route.get("match")))) {
                String method = readsOnly(route) ? "GET" : "POST";
                if (envoyRoute(sample, method) != route) {
                    continue; // an earlier route takes this sample
                }
                envoyRestRoutes.add(sample);
                EdgeRoutes.RestRoute mine = edgeRestRoute(sample, method);
                assertNotNull(mine, "the edge routes " + method + " " + sample + " (Envoy: " + route.get("name") + ")");
                assertEquals(cluster, mine.upstream().serviceName() + "-rest", sample);
                assertEquals(timeout(route), mine.timeout(), sample);
                assertEquals(envoyAccess(sample), edge.access(sample), sample);
                EdgeRoutes.RestRoute myRead = edgeRestRoute(sample, "GET");
                Map<String, Object> envoyRead = envoyRoute(sample, "GET");
                if (myRead != null && envoyRead != null) {
                    assertEquals(retries(envoyRead), myRead.retriesReads(), "GET " + sample + " retried");
                }
            }
        }
        // and the other way round: nothing the edge proxies is unknown to Envoy
        for (EdgeRoutes.RestRoute mine : EdgeRoutes.REST) {
            String sample = mine.match().startsWith("=") ? mine.match().substring(1)
                    : mine.match().endsWith("/") ? mine.match() + "x" : mine.match();
            Map<String, Object> route = envoyRoute(sample, mine.readsOnly() ? "GET" : "POST");
            assertNotNull(route, "Envoy routes " + sample);
            assertEquals(mine.upstream().serviceName() + "-rest", cluster(route), sample);
        }
        assertEquals(true, !envoyRestRoutes.isEmpty());
    }

    @Test
    void corsAndTheTokenProviderMatch() {
        assertNotNull(envoy, "gateway-envoy/envoy.yaml is missing");
        Map<String, Object> cors = map(map(virtualHost().get("typed_per_filter_config")).get("envoy.filters.http.cors"));
        List<String> origins = list(cors.get("allow_origin_string_match")).stream()
                .map(m -> (String) map(m).get("exact")).toList();
        assertEquals(EdgeSettings.DEFAULT_ALLOWED_ORIGINS, origins);
        assertEquals(EdgeRoutes.CORS_ALLOWED_METHODS, split(cors.get("allow_methods")));
        assertEquals(EdgeRoutes.CORS_ALLOWED_HEADERS, split(cors.get("allow_headers")));
        assertEquals(EdgeRoutes.CORS_EXPOSED_HEADERS, split(cors.get("expose_headers")));
        assertEquals(EdgeRoutes.CORS_MAX_AGE, Duration.ofSeconds(Long.parseLong(String.valueOf(cors.get("max_age")))));
        assertEquals(false, cors.get("allow_credentials"));

        Map<String, Object> provider = map(map(jwtAuthn().get("providers")).get("pawfiler-auth"));
        EdgeSettings defaults = EdgeSettings.from(name -> null);
        assertEquals(defaults.issuer(), provider.get("issuer"));
        Map<String, Object> jwks = map(provider.get("remote_jwks"));
        assertEquals(defaults.jwksCacheDuration(), duration(jwks.get("cache_duration")));
        assertEquals(defaults.jwksUrl().getPath(),
                java.net.URI.create((String) map(jwks.get("http_uri")).get("uri")).getPath());
    }

    // --- Envoy's matching, for the features envoy.yaml uses -------------------------------------------------

    private static Map<String, Object> envoyRoute(String path, String method) {
        for (Map<String, Object> route : routes()) {
            Map<String, Object> match = map(route.get("match"));
            if (matches(match, path, method) && !"api-prefix".equals(route.get("name"))) {
                return route;
            }
        }
        return null;
    }

    private static boolean matches(Map<String, Object> match, String path, String method) {
        boolean pathMatches;
        if (match.containsKey("path")) {
            pathMatches = path.equals(match.get("path"));
        } else if (match.containsKey("prefix")) {
            pathMatches = path.startsWith((String) match.get("prefix"));
        } else if (match.containsKey("path_separated_prefix")) {
            String prefix = (String) match.get("path_separated_prefix");
            pathMatches = path.equals(prefix) || path.startsWith(prefix + "/");
        } else if (match.containsKey("safe_regex")) {
            pathMatches = Pattern.matches((String) map(match.get("safe_regex")).get("regex"), path);
        } else {
            return false;
        }
        for (Object header : list(match.getOrDefault("headers", List.of()))) {
            Map<String, Object> rule = map(header);
            if (":method".equals(rule.get("name"))) {
                String regex = (String) map(map(rule.get("string_match")).get("safe_regex")).get("regex");
                pathMatches &= Pattern.matches(regex, method);
            }
        }
        return pathMatches;
    }

    /** The edge's access for a path, computed from Envoy's jwt_authn rules (first match wins). */
    private static EdgeRoutes.Access envoyAccess(String path) {
        for (Object entry : list(jwtAuthn().get("rules"))) {
            Map<String, Object> rule = map(entry);
            if (!matches(map(rule.get("match")), path, "POST")) {
                continue;
            }
            Object requires = rule.get("requires");
            if (requires == null) {
                return EdgeRoutes.Access.PUBLIC;
            }
            return String.valueOf(requires).contains("allow_missing") ? EdgeRoutes.Access.TOKEN_IF_SENT
                    : EdgeRoutes.Access.TOKEN;
        }
        return EdgeRoutes.Access.PUBLIC;
    }

    private static EdgeRoutes.RestRoute edgeRestRoute(String path, String method) {
        for (EdgeRoutes.RestRoute route : EdgeRoutes.REST) {
            if (route.readsOnly() && !method.equals("GET")) {
                continue;
            }
            for (String pattern : route.armeriaPatterns()) {
                if (pattern.startsWith("prefix:") ? path.startsWith(pattern.substring(7)) : path.equals(pattern)) {
                    return route;
                }
            }
        }
        return null;
    }

    private static List<String> samples(Map<String, Object> match) {
        if (match.containsKey("path")) {
            return List.of((String) match.get("path"));
        }
        if (match.containsKey("prefix")) {
            return List.of(match.get("prefix") + "x");
        }
        if (match.containsKey("path_separated_prefix")) {
            String prefix = (String) match.get("path_separated_prefix");
            return List.of(prefix, prefix + "/x");
        }
        return List.of();
    }

    private static boolean readsOnly(Map<String, Object> route) {
        return map(route.get("match")).containsKey("headers");
    }

    private static boolean retries(Map<String, Object> route) {
        return map(route.get("route")).containsKey("retry_policy");
    }

    private static String cluster(Map<String, Object> route) {
        Object action = route.get("route");
        return action == null ? null : (String) map(action).get("cluster");
    }

    private static Duration timeout(Map<String, Object> route) {
        Object timeout = map(route.get("route")).get("timeout");
        return timeout == null ? Duration.ofSeconds(15) : duration(timeout);
    }

    private static Duration duration(Object envoyDuration) {
        return Duration.parse("PT" + String.valueOf(envoyDuration).toUpperCase());
    }

    private static List<Map<String, Object>> routes() {
        return list(virtualHost().get("routes")).stream().map(EnvoyParityTest::map).toList();
    }

    private static Map<String, Object> virtualHost() {
        return map(list(map(hcm().get("route_config")).get("virtual_hosts")).get(0));
    }

    private static Map<String, Object> jwtAuthn() {
        for (Object filter : list(hcm().get("http_filters"))) {
            if ("envoy.filters.http.jwt_authn".equals(map(filter).get("name"))) {
                return map(map(filter).get("typed_config"));
            }
        }
        throw new AssertionError("envoy.yaml has no jwt_authn filter");
    }

    private static Map<String, Object> hcm() {
        Map<String, Object> listener = map(list(map(envoy.get("static_resources")).get("listeners")).get(0));
        Map<String, Object> chain = map(list(listener.get("filter_chains")).get(0));
        return map(map(list(chain.get("filters")).get(0)).get("typed_config"));
    }

    private static List<String> split(Object commaSeparated) {
        return Stream.of(String.valueOf(commaSeparated).split(",")).map(String::strip).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}

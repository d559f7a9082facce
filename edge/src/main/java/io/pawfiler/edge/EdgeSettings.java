package io.pawfiler.edge;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the edge can be told, read the way the services read MicroProfile Config: a property {@code a.b-c} is a
 * system property, or the environment variable {@code A_B_C}. Defaults are the development values of
 * {@code ./pawfiler up}; the lists mirror {@code gateway-envoy/envoy.yaml} (EnvoyParityTest compares them).
 *
 * @param port               {@code pawfiler.edge.port}: the front door (Envoy's listener), 8080
 * @param adminPort          {@code pawfiler.edge.admin-port}: {@code GET /ready} (Envoy's admin port), 9901
 * @param upstreams          {@code pawfiler.edge.upstream.<service>}: base URL of each service (gRPC h2c and REST)
 * @param allowedOrigins     {@code pawfiler.edge.cors.allowed-origins}: exact origins, comma-separated
 * @param jwksUrl            {@code pawfiler.auth.jwks-url}: auth-service's JWKS
 * @param issuer             {@code pawfiler.auth.issuer}: the {@code iss} every token must carry
 * @param publicGrpcMethods  {@code pawfiler.security.public-grpc-methods}: callable without a token, exactly the
 *                           services' own list
 * @param jwksCacheDuration  {@code pawfiler.edge.jwks-cache-duration}: how long fetched keys are used (Envoy's
 *                           {@code cache_duration})
 */
public record EdgeSettings(int port, int adminPort, Map<Upstream, URI> upstreams, List<String> allowedOrigins,
                           URI jwksUrl, String issuer, List<String> publicGrpcMethods, Duration jwksCacheDuration) {

    public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of(
            "http://localhost:5173", "http://localhost:8080", "http://127.0.0.1:5173");

    /** = auth-service's {@code pawfiler.security.public-grpc-methods} (EnvoyParityTest checks it). */
    public static final List<String> DEFAULT_PUBLIC_GRPC_METHODS = List.of(
            "auth.AuthService/Login", "auth.AuthService/Signup", "auth.AuthService/RefreshToken",
            "auth.AuthService/Logout");

    public EdgeSettings {
        upstreams = Map.copyOf(upstreams);
        allowedOrigins = List.copyOf(allowedOrigins);
        publicGrpcMethods = List.copyOf(publicGrpcMethods);
    }

    /** From system properties and the environment. */
    public static EdgeSettings fromEnvironment() {
        return from(name -> {
            String value = System.getProperty(name);
            if (value == null) {
                value = System.getenv(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
            return value == null || value.isBlank() ? null : value.strip();
        });
    }

    /** From any source of {@code name -> value or null}. */
    public static EdgeSettings from(Function<String, String> config) {
        Map<Upstream, URI> upstreams = new LinkedHashMap<>();
        for (Upstream upstream : Upstream.values()) {
            String url = config.apply("pawfiler.edge.upstream." + upstream.serviceName());
            upstreams.put(upstream, URI.create(url != null ? url : "http://localhost:" + upstream.defaultPort()));
        }
        return new EdgeSettings(
                Integer.parseInt(or(config.apply("pawfiler.edge.port"), "8080")),
                Integer.parseInt(or(config.apply("pawfiler.edge.admin-port"), "9901")),
                upstreams,
                list(config.apply("pawfiler.edge.cors.allowed-origins"), DEFAULT_ALLOWED_ORIGINS),
                URI.create(or(config.apply("pawfiler.auth.jwks-url"), "http://localhost:8081/.well-known/jwks.json")),
                or(config.apply("pawfiler.auth.issuer"), "https://auth.pawfiler.io"),
                list(config.apply("pawfiler.security.public-grpc-methods"), DEFAULT_PUBLIC_GRPC_METHODS),
                Duration.parse(or(config.apply("pawfiler.edge.jwks-cache-duration"), "PT300S")));
    }

    public URI upstream(Upstream upstream) {
        return upstreams.get(upstream);
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static List<String> list(String value, List<String> fallback) {
        return value == null ? fallback
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}

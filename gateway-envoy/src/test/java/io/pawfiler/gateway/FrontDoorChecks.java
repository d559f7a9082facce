package io.pawfiler.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import io.pawfiler.gateway.FrontDoor.Pass;
import io.pawfiler.gateway.FrontDoor.Protocol;
import io.pawfiler.gateway.FrontDoor.Request;
import io.pawfiler.gateway.FrontDoor.Token;

/**
 * The properties envoy.yaml must have, each a function from the config (and what it is checked against) to a list
 * of problems; empty means it holds. FrontDoorTest runs them on the real files, FrontDoorChecksTest on broken copies.
 */
final class FrontDoorChecks {

    /** The prefix production puts in front of every path ("${origin}/api"); both forms must work alike. */
    static final List<String> PREFIXES = List.of("", "/api");

    /** Methods named like reads that write, so a retry after a reset could do it twice. */
    static final Map<String, String> WRITES_DESPITE_THEIR_NAME = Map.of(
            "quiz.QuizService/GetRandomQuestion", "records the draw it hands out",
            "video_analysis.VideoAnalysisService/GetUploadUrl", "creates a task and counts against the quota");

    static final Set<String> RETRY_ON_ALLOWED = Set.of("reset", "connect-failure", "refused-stream", "unavailable");

    static final List<String> DEVELOPMENT_ORIGINS =
            List.of("http://localhost:5173", "http://localhost:8080", "http://127.0.0.1:5173");
    static final List<String> ALLOWED_HEADERS =
            List.of("authorization", "content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "idempotency-key");
    static final List<String> EXPOSED_HEADERS = List.of("grpc-status", "grpc-message");

    /** The filter chain, in order: CORS answers preflights first, gRPC-Web becomes gRPC before the transcoder. */
    static final List<String> FILTER_ORDER = List.of(FrontDoor.CORS, FrontDoor.JWT, FrontDoor.GRPC_WEB,
            FrontDoor.TRANSCODER, FrontDoor.ROUTER);

    /** Where the descriptor set lies in the Envoy image (docker/Dockerfile copies it there). */
    static final String DESCRIPTOR_PATH = "/etc/envoy/pawfiler.pb";

    private FrontDoorChecks() {
    }

    /** Everything a check may look at. */
    record Inputs(String yaml, FrontDoor door, ServiceDescriptors descriptors, ServiceConfigs services) {

        static Inputs of(String yaml, ServiceDescriptors descriptors, ServiceConfigs services)
                throws InvalidProtocolBufferException {
            return new Inputs(yaml, new FrontDoor(EnvoyConfig.parse(yaml)), descriptors, services);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static final Pattern V2 = Pattern.compile("(^|[./])v2(alpha|beta)?\\d*([./]|$)|envoy\\.api\\.v2|envoy\\.config\\.filter\\.");

    /** No type URL of the removed v2 API (type.googleapis.com/envoy.api.v2..., envoy.config.filter.*.v2.*). */
    static List<String> noV2TypeUrls(String yaml) {
        List<String> problems = new ArrayList<>();
        collectTypes(Yamls.load(yaml), "", problems);
        return problems;
    }

    private static void collectTypes(Object node, String path, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("@type".equals(key) && value instanceof String url && V2.matcher(url).find()) {
                    problems.add(path + ": v2 type URL " + url);
                }
                collectTypes(value, path + "." + key, problems);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectTypes(list.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /** Envoy's own validation rules and no deprecated fields (ProtoRules). */
    static List<String> apiRules(Inputs in) {
        return ProtoRules.violations(in.door().bootstrap);
    }

    /** Each filter gets the config type it takes, per-route configs name configured filters, the chain's order. */
    static List<String> filterChain(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        List<String> names = door.filters.stream().map(HttpFilter::getName).toList();
        if (!names.equals(FILTER_ORDER)) {
            problems.add("http_filters must be " + FILTER_ORDER + ", not " + names);
        }
        for (HttpFilter filter : door.filters) {
            var expected = EnvoyConfig.FILTER_TYPES.get(filter.getName());
            if (expected != null && !EnvoyConfig.typeName(filter.getTypedConfig()).equals(expected.getFullName())) {
                problems.add(filter.getName() + " takes " + expected.getFullName() + ", not "
                        + filter.getTypedConfig().getTypeUrl());
            }
        }
        perRouteTypes("virtual host " + door.host.getName(), door.host.getTypedPerFilterConfigMap(), names, problems);
        for (Route route : door.host.getRoutesList()) {
            perRouteTypes("route " + route.getName(), route.getTypedPerFilterConfigMap(), names, problems);
        }
        return problems;
    }

    private static void perRouteTypes(String where, Map<String, Any> configs, List<String> filters, List<String> problems) {
        configs.forEach((name, config) -> {
            if (!filters.contains(name)) {
                problems.add(where + ": typed_per_filter_config for " + name + ", which is not in http_filters");
            }
            Set<String> allowed = EnvoyConfig.PER_ROUTE_TYPES.getOrDefault(name, Set.of()).stream()
                    .map(d -> d.getFullName()).collect(Collectors.toSet());
            if (!allowed.contains(EnvoyConfig.typeName(config))) {
                problems.add(where + ": " + name + " takes one of " + allowed + " per route, not " + config.getTypeUrl());
            }
        });
    }

    /** Every cluster a route or the JWKS fetch names exists; no cluster is defined twice or left unused. */
    static List<String> clusterReferences(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        Set<String> defined = new TreeSet<>();
        for (Cluster cluster : door.bootstrap.getStaticResources().getClustersList()) {
            if (!defined.add(cluster.getName())) {
                problems.add("cluster " + cluster.getName() + " is defined twice");
            }
        }
        Set<String> used = new TreeSet<>();
        for (Route route : door.host.getRoutesList()) {
            if (route.hasRoute()) {
                if (route.getRoute().hasWeightedClusters() || !route.getRoute().getClusterHeader().isEmpty()) {
                    problems.add("route " + route.getName() + ": only a plain cluster is supported");
                }
                used.add(route.getRoute().getCluster());
                if (!defined.contains(route.getRoute().getCluster())) {
                    problems.add("route " + route.getName() + " sends to cluster " + route.getRoute().getCluster()
                            + ", which does not exist");
                }
            } else if (!route.hasDirectResponse()) {
                problems.add("route " + route.getName() + " neither routes nor answers");
            }
        }
        if (door.jwt != null) {
            for (Map.Entry<String, JwtProvider> provider : door.jwt.getProvidersMap().entrySet()) {
                String cluster = provider.getValue().getRemoteJwks().getHttpUri().getCluster();
                used.add(cluster);
                if (!defined.contains(cluster)) {
                    problems.add("jwt provider " + provider.getKey() + " fetches its JWKS through cluster " + cluster
                            + ", which does not exist");
                }
            }
        }
        Set<String> unused = new TreeSet<>(defined);
        unused.removeAll(used);
        unused.forEach(name -> problems.add("cluster " + name + " is never used"));
        return problems;
    }

    /**
     * Each cluster is a service's gRPC (h2c) or REST (HTTP/1.1) door at the service's server.port, named
     * {@code <service>-grpc} / {@code <service>-rest} after the compose service (= module) name; or the loopback.
     */
    static List<String> clusterAddresses(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        for (Cluster cluster : door.clusters.values()) {
            var address = FrontDoor.address(cluster);
            if (door.isLoopback(cluster.getName())) {
                if (FrontDoor.protocol(cluster) != Protocol.DOWNSTREAM) {
                    problems.add("cluster " + cluster.getName() + " loops back: it must keep the downstream protocol");
                }
                continue;
            }
            ServiceConfigs.Service service = in.services().all().get(address.getAddress());
            if (service == null) {
                problems.add("cluster " + cluster.getName() + " points at " + address.getAddress()
                        + ", which is no service under services/");
                continue;
            }
            if (address.getPortValue() != service.port()) {
                problems.add("cluster " + cluster.getName() + " uses port " + address.getPortValue() + " but "
                        + service.name() + " listens on " + service.port() + " (server.port)");
            }
            Protocol protocol = FrontDoor.protocol(cluster);
            String expectedName = service.name() + (protocol == Protocol.HTTP2 ? "-grpc" : "-rest");
            if (!cluster.getName().equals(expectedName)) {
                problems.add("cluster " + cluster.getName() + " (" + protocol + " to " + service.name()
                        + ") must be called " + expectedName);
            }
            if (cluster.getType() != Cluster.DiscoveryType.STRICT_DNS) {
                problems.add("cluster " + cluster.getName() + ": compose names resolve through DNS (STRICT_DNS)");
            }
        }
        return problems;
    }

    /**
     * The transcoder serves every gRPC service the modules implement, from the descriptor set, with snake_case JSON;
     * and every method of those services reaches its service's gRPC cluster with and without /api, as JSON (through
     * the transcoder), gRPC-Web and gRPC.
     */
    static List<String> transcoding(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        GrpcJsonTranscoder transcoder = door.filter(FrontDoor.TRANSCODER)
                .map(f -> EnvoyConfig.unpack(f.getTypedConfig(), GrpcJsonTranscoder.class)).orElse(null);
        if (transcoder == null) {
            return List.of("no grpc_json_transcoder filter");
        }
        if (!transcoder.getProtoDescriptor().equals(DESCRIPTOR_PATH)) {
            problems.add("the transcoder must load " + DESCRIPTOR_PATH + ", where the Envoy image has the descriptor set");
        }
        if (!transcoder.getPrintOptions().getPreserveProtoFieldNames()
                || !transcoder.getPrintOptions().getAlwaysPrintPrimitiveFields() || !transcoder.getConvertGrpcStatus()) {
            problems.add("the transcoder must print proto field names and primitive fields, and convert gRPC statuses");
        }
        Map<String, ServiceDescriptor> all = in.descriptors().services();
        for (String name : transcoder.getServicesList()) {
            if (!all.containsKey(name)) {
                problems.add("the transcoder serves " + name + ", which is not in " + ServiceDescriptors.RESOURCE);
            }
        }
        for (ServiceConfigs.Service service : in.services().all().values()) {
            for (String simpleName : service.grpcServices()) {
                ServiceDescriptor grpc = all.values().stream().filter(s -> s.getName().equals(simpleName)).findFirst()
                        .orElse(null);
                if (grpc == null) {
                    problems.add(service.name() + " implements " + simpleName + ", which is not in the descriptor set");
                    continue;
                }
                if (!transcoder.getServicesList().contains(grpc.getFullName())) {
                    problems.add("the transcoder does not serve " + grpc.getFullName() + " (" + service.name() + ")");
                }
                String cluster = service.name() + "-grpc";
                for (MethodDescriptor method : grpc.getMethods()) {
                    for (String prefix : PREFIXES) {
                        List<Request> requests = new ArrayList<>();
                        String grpcPath = prefix + ServiceDescriptors.grpcPath(method);
                        requests.add(new Request("POST", grpcPath, Map.of("content-type", "application/grpc")));
                        requests.add(new Request("POST", grpcPath, Map.of("content-type", "application/grpc-web+proto")));
                        ServiceDescriptors.httpPaths(method).forEach(p -> requests.add(Request.json(prefix + probe(p))));
                        for (Request request : requests) {
                            reachesGrpc(door, request, cluster, problems);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static void reachesGrpc(FrontDoor door, Request request, String cluster, List<String> problems) {
        Pass last = door.finalPass(request);
        String what = request.method() + " " + request.path() + " (" + request.headers().get("content-type") + ")";
        if (last.route() == null || !last.route().hasRoute()) {
            problems.add(what + " matches no route");
        } else if (!last.route().getRoute().getCluster().equals(cluster)) {
            problems.add(what + " goes to " + last.route().getRoute().getCluster() + ", not " + cluster);
        } else if (!door.runs(FrontDoor.TRANSCODER, last.route()) || !door.runs(FrontDoor.GRPC_WEB, last.route())) {
            problems.add(what + ": the transcoder and gRPC-Web must run on route " + last.route().getName());
        }
    }

    /** An HTTP rule path with its {variables} filled in. */
    static String probe(String template) {
        return template.replaceAll("\\{[^}]*}", "probe");
    }

    private static final Pattern PACKED = Pattern.compile("Any\\.pack\\(\\s*(\\w+)\\.newBuilder\\(");

    /**
     * The message types the services pack into gRPC error details (Any.pack(BadRequest.newBuilder()...) in platform
     * and service code), by their proto names.
     */
    static Set<String> packedDetailTypes() {
        Set<String> types = new TreeSet<>();
        List<java.nio.file.Path> roots = new ArrayList<>(List.of(Repo.path("platform/src/main/java"),
                Repo.path("platform-helidon/src/main/java")));
        for (String service : ServiceConfigs.load().all().keySet()) {
            roots.add(Repo.path("services/" + service + "/src/main/java"));
        }
        for (java.nio.file.Path root : roots) {
            try (var files = java.nio.file.Files.walk(root)) {
                for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = java.nio.file.Files.readString(file);
                    java.util.regex.Matcher packed = PACKED.matcher(source);
                    while (packed.find()) {
                        java.util.regex.Matcher imported = Pattern.compile("import ([\\w.]+\\." + packed.group(1) + ");")
                                .matcher(source);
                        if (!imported.find()) {
                            throw new IllegalStateException(file + ": cannot resolve " + packed.group(1));
                        }
                        try {
                            var descriptor = (com.google.protobuf.Descriptors.Descriptor) Class.forName(imported.group(1))
                                    .getMethod("getDescriptor").invoke(null);
                            types.add(descriptor.getFullName());
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException("cannot load " + imported.group(1), e);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (types.isEmpty()) {
            throw new IllegalStateException("no Any.pack(...) of error details found; update packedDetailTypes");
        }
        return types;
    }

    /**
     * convert_grpc_status prints a failed call's google.rpc.Status with its details only if the descriptor set holds
     * every detail type (else the body is empty): api-contracts' error_details.proto pulls them in.
     */
    static List<String> statusDetails(Set<String> packedTypes, ServiceDescriptors descriptors) {
        List<String> problems = new ArrayList<>();
        for (String type : packedTypes) {
            if (!descriptors.hasType(type)) {
                problems.add("the services send " + type + " in error details, but " + ServiceDescriptors.RESOURCE
                        + " lacks it: the transcoder would answer with an empty body");
            }
        }
        if (!descriptors.hasType("google.rpc.Status")) {
            problems.add(ServiceDescriptors.RESOURCE + " lacks google.rpc.Status");
        }
        return problems;
    }

    /**
     * The token check lets through exactly the services' pawfiler.security.public-grpc-methods, with and without /api,
     * and demands a token for every other method of every service in the descriptor set, for unknown paths too.
     */
    static List<String> publicOperations(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        if (door.jwt == null) {
            return List.of("no jwt_authn filter");
        }
        Set<String> listed = new TreeSet<>();
        in.services().all().values().forEach(s -> listed.addAll(s.publicGrpcMethods()));
        Set<String> methods = new TreeSet<>();
        in.descriptors().services().values().forEach(s -> s.getMethods().forEach(m ->
                methods.add(s.getFullName() + "/" + m.getName())));
        for (String name : listed) {
            if (!methods.contains(name)) {
                problems.add("public-grpc-methods lists " + name + ", which is no method in the descriptor set");
            }
        }
        for (String method : methods) {
            for (String prefix : PREFIXES) {
                for (Request request : List.of(Request.json(prefix + "/" + method),
                        new Request("POST", prefix + "/" + method, Map.of("content-type", "application/grpc-web")))) {
                    Token token = door.token(request);
                    if (token == Token.NOT_CHECKED) {
                        problems.add(request.path() + ": the token check never runs");
                    } else if (listed.contains(method) && token != Token.NONE) {
                        problems.add(request.path() + " must be public (a service lists it in "
                                + "pawfiler.security.public-grpc-methods), the edge demands " + token);
                    } else if (!listed.contains(method) && token != Token.REQUIRED) {
                        problems.add(request.path() + " must require a token (no service lists it as public), the "
                                + "edge demands " + token);
                    }
                }
            }
        }
        for (String prefix : PREFIXES) {
            for (Request unknown : List.of(Request.of("GET", prefix + "/no/such/path"), Request.json(prefix + "/x.Y/Z"))) {
                if (door.token(unknown) != Token.REQUIRED) {
                    problems.add(unknown.path() + ": an unknown path must require a token (the last rule is a catch-all)");
                }
            }
            Request preflight = Request.preflight(prefix + "/quiz.QuizService/SubmitAnswer", DEVELOPMENT_ORIGINS.get(0));
            if (door.token(preflight) != Token.NONE) {
                problems.add(preflight.path() + ": a CORS preflight carries no token and must pass");
            }
        }
        return problems;
    }

    /**
     * One provider: auth-service's issuer (what every service verifies as mp.jwt.verify.issuer), its JWKS through an
     * HTTP/1.1 cluster to auth-service's port and JWKS path, the token forwarded to the services.
     */
    static List<String> tokenProvider(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        if (door.jwt == null || door.jwt.getProvidersCount() != 1) {
            return List.of("expected exactly one jwt_authn provider");
        }
        JwtProvider provider = door.jwt.getProvidersMap().values().iterator().next();
        ServiceConfigs.Service auth = in.services().all().values().stream()
                .filter(s -> s.grpcServices().contains("AuthService")).findFirst().orElseThrow();
        for (ServiceConfigs.Service service : in.services().all().values()) {
            if (!provider.getIssuer().equals(service.get("mp.jwt.verify.issuer"))) {
                problems.add("the edge accepts issuer " + provider.getIssuer() + " but " + service.name()
                        + " verifies " + service.get("mp.jwt.verify.issuer"));
            }
        }
        if (!provider.getIssuer().equals(auth.get("pawfiler.auth.issuer"))) {
            problems.add("the edge accepts issuer " + provider.getIssuer() + " but auth-service issues "
                    + auth.get("pawfiler.auth.issuer"));
        }
        URI jwks = URI.create(provider.getRemoteJwks().getHttpUri().getUri());
        URI authJwks = URI.create(auth.get("pawfiler.auth.jwks-url"));
        if (!jwks.getHost().equals(auth.name()) || jwks.getPort() != auth.port() || !jwks.getPath().equals(authJwks.getPath())) {
            problems.add("the JWKS must come from http://" + auth.name() + ":" + auth.port() + authJwks.getPath()
                    + ", not " + jwks);
        }
        Cluster cluster = door.clusters.get(provider.getRemoteJwks().getHttpUri().getCluster());
        if (cluster != null && (!FrontDoor.address(cluster).getAddress().equals(auth.name())
                || FrontDoor.address(cluster).getPortValue() != auth.port() || FrontDoor.protocol(cluster) != Protocol.HTTP1)) {
            problems.add("the JWKS cluster must be auth-service's HTTP/1.1 cluster");
        }
        if (!provider.getForward()) {
            problems.add("the token must be forwarded: the services verify it again");
        }
        if (!provider.getRemoteJwks().hasCacheDuration()) {
            problems.add("the JWKS cache duration must be explicit");
        }
        return problems;
    }

    /**
     * CORS: never a wildcard origin with credentials; exact origins only, the development ones included; the
     * frontend's headers allowed and gRPC's status headers exposed; the filter runs exactly once on every request.
     */
    static List<String> cors(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        List<CorsPolicy> policies = new ArrayList<>();
        door.cors(Route.getDefaultInstance()).ifPresent(policies::add);
        for (Route route : door.host.getRoutesList()) {
            Any config = route.getTypedPerFilterConfigMap().get(FrontDoor.CORS);
            if (config != null && EnvoyConfig.typeName(config).equals(CorsPolicy.getDescriptor().getFullName())) {
                policies.add(EnvoyConfig.unpack(config, CorsPolicy.class));
            }
        }
        if (policies.isEmpty()) {
            problems.add("no CORS policy");
        }
        for (CorsPolicy policy : policies) {
            boolean credentials = policy.hasAllowCredentials() && policy.getAllowCredentials().getValue();
            Set<String> exact = new LinkedHashSet<>();
            for (StringMatcher origin : policy.getAllowOriginStringMatchList()) {
                boolean wildcard = origin.getMatchPatternCase() == StringMatcher.MatchPatternCase.EXACT
                        ? origin.getExact().equals("*") : FrontDoor.matches(origin, "https://attacker.example");
                if (wildcard && credentials) {
                    problems.add("CORS allows any origin (" + origin + ") together with credentials");
                }
                if (origin.getMatchPatternCase() != StringMatcher.MatchPatternCase.EXACT || wildcard) {
                    problems.add("CORS origins must be listed exactly, not as " + origin.toString().trim());
                } else {
                    exact.add(origin.getExact());
                }
            }
            for (String origin : DEVELOPMENT_ORIGINS) {
                if (!exact.contains(origin)) {
                    problems.add("CORS must allow the development origin " + origin);
                }
            }
            Set<String> allowed = split(policy.getAllowHeaders());
            ALLOWED_HEADERS.stream().filter(h -> !allowed.contains(h)).forEach(h -> problems.add("CORS must allow header " + h));
            Set<String> exposed = split(policy.getExposeHeaders());
            EXPOSED_HEADERS.stream().filter(h -> !exposed.contains(h)).forEach(h -> problems.add("CORS must expose header " + h));
        }
        for (Request request : probes(in)) {
            List<Pass> passes = door.resolve(request);
            long corsPasses = passes.stream().filter(p -> door.runs(FrontDoor.CORS, p.route())).count();
            long jwtPasses = passes.stream().filter(p -> door.runs(FrontDoor.JWT, p.route())).count();
            if (corsPasses != 1 || jwtPasses != 1) {
                problems.add(request.method() + " " + request.path() + ": CORS runs " + corsPasses + " times and the token "
                        + "check " + jwtPasses + " times; each must run once (twice sends duplicate CORS headers)");
            }
            for (String filter : List.of(FrontDoor.GRPC_WEB, FrontDoor.TRANSCODER)) {
                for (int i = 0; i < passes.size() - 1; i++) {
                    if (door.runs(filter, passes.get(i).route())) {
                        problems.add(request.path() + ": " + filter + " must not run before the last pass");
                    }
                }
            }
            Pass last = passes.get(passes.size() - 1);
            if (last.route() != null && door.cors(last.route()).isEmpty()) {
                problems.add(request.path() + ": no CORS policy on route " + last.route().getName());
            }
        }
        return problems;
    }

    private static Set<String> split(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).map(s -> s.toLowerCase(java.util.Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * Retries only where a repeat cannot do anything twice: gRPC reads (Get and List methods, less the writes among
     * them) and REST GET/HEAD, on resets, refused connections/streams and gRPC UNAVAILABLE only. Every read is retried.
     */
    static List<String> retries(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        if (door.host.hasRetryPolicy() || door.host.hasRetryPolicyTypedConfig()) {
            problems.add("no retry policy on the virtual host: it would apply to writes");
        }
        for (Route route : door.host.getRoutesList()) {
            if (!route.hasRoute() || !route.getRoute().hasRetryPolicy()) {
                continue;
            }
            RetryPolicy policy = route.getRoute().getRetryPolicy();
            Set<String> on = split(policy.getRetryOn());
            if (!RETRY_ON_ALLOWED.containsAll(on)) {
                problems.add("route " + route.getName() + " retries on " + on + "; only " + RETRY_ON_ALLOWED + " are safe");
            }
            if (policy.getRetriableStatusCodesCount() > 0 || !policy.hasNumRetries() || policy.getNumRetries().getValue() > 2) {
                problems.add("route " + route.getName() + ": at most 2 retries, explicit, and no retriable status codes");
            }
            if (!door.runs(FrontDoor.TRANSCODER, route)) {
                // REST: a retried route must not take writes
                String path = probePath(route.getMatch());
                for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                    if (path != null && FrontDoor.matches(route.getMatch(), Request.of(method, path))) {
                        problems.add("route " + route.getName() + " retries and matches " + method + " " + path);
                    }
                }
            }
        }
        for (ServiceDescriptor service : in.descriptors().services().values()) {
            for (MethodDescriptor method : service.getMethods()) {
                String name = service.getFullName() + "/" + method.getName();
                boolean read = (method.getName().startsWith("Get") || method.getName().startsWith("List"))
                        && !WRITES_DESPITE_THEIR_NAME.containsKey(name) && !method.isClientStreaming()
                        && !method.isServerStreaming();
                Route route = door.finalPass(Request.json("/" + name)).route();
                boolean retried = route != null && route.hasRoute() && route.getRoute().hasRetryPolicy();
                if (retried && !read) {
                    problems.add(name + " is retried (route " + route.getName() + ") but is not a read"
                            + (WRITES_DESPITE_THEIR_NAME.containsKey(name) ? ": it " + WRITES_DESPITE_THEIR_NAME.get(name) : ""));
                }
                if (read && !retried && route != null) {
                    problems.add(name + " is a read without retries (route " + route.getName() + ")");
                }
            }
        }
        return problems;
    }

    /**
     * Every route to a service has an explicit timeout of at most 300 s; uploads and streams get 300 s; the /api pass
     * never cuts what the second pass allows.
     */
    static List<String> timeouts(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        for (Route route : door.host.getRoutesList()) {
            if (!route.hasRoute()) {
                continue;
            }
            long seconds = route.getRoute().getTimeout().getSeconds();
            if (door.isLoopback(route.getRoute().getCluster())) {
                if (!route.getRoute().hasTimeout() || seconds != 0 && seconds < 300) {
                    problems.add("route " + route.getName() + " (first /api pass) must not time out before the second pass");
                }
            } else if (!route.getRoute().hasTimeout() || seconds <= 0 || seconds > 300) {
                problems.add("route " + route.getName() + " needs an explicit timeout of at most 300 s");
            }
        }
        List<Request> long300 = new ArrayList<>(List.of(
                new Request("POST", "/upload-video", Map.of("content-type", "multipart/form-data; boundary=x")),
                Request.of("PUT", "/uploads/probe"), Request.of("POST", "/uploads/probe")));
        in.descriptors().services().values().forEach(s -> s.getMethods().stream()
                .filter(m -> m.isClientStreaming() || m.isServerStreaming())
                .forEach(m -> long300.add(new Request("POST", ServiceDescriptors.grpcPath(m),
                        Map.of("content-type", "application/grpc")))));
        for (Request request : long300) {
            Route route = door.finalPass(request).route();
            if (route == null || route.getRoute().getTimeout().getSeconds() < 300) {
                problems.add(request.method() + " " + request.path() + " moves a video or streams: it needs 300 s, route "
                        + (route == null ? "none" : route.getName() + " has " + route.getRoute().getTimeout().getSeconds() + " s"));
            }
        }
        return problems;
    }

    /**
     * Video bytes stream: the transcoder (the only filter here that buffers a whole body) runs on no pass of an
     * upload, download or media request, and no buffer filter is configured.
     */
    static List<String> uploadsStream(Inputs in) {
        FrontDoor door = in.door();
        List<String> problems = new ArrayList<>();
        door.filters.stream().filter(f -> f.getName().contains("buffer"))
                .forEach(f -> problems.add("filter " + f.getName() + " would buffer uploads"));
        for (String prefix : PREFIXES) {
            for (Request request : List.of(Request.of("POST", prefix + "/upload-video"),
                    Request.of("PUT", prefix + "/uploads/probe"), Request.of("GET", prefix + "/videos/probe"),
                    Request.of("GET", prefix + "/media/probe"))) {
                List<Pass> passes = door.resolve(request);
                Pass last = passes.get(passes.size() - 1);
                if (last.route() == null || !last.route().hasRoute()) {
                    problems.add(request.method() + " " + request.path() + " matches no route");
                    continue;
                }
                for (Pass pass : passes) {
                    if (door.runs(FrontDoor.TRANSCODER, pass.route())) {
                        problems.add(request.method() + " " + request.path() + ": the transcoder runs on route "
                                + pass.route().getName() + " and would buffer the body");
                    }
                }
            }
        }
        return problems;
    }

    /** A request per route (each route's literal path, both prefixes, GET and POST) and one per gRPC method. */
    static List<Request> probes(Inputs in) {
        List<Request> probes = new ArrayList<>();
        for (Route route : in.door().host.getRoutesList()) {
            String path = probePath(route.getMatch());
            if (path == null || path.startsWith("/api/")) {
                continue;
            }
            for (String prefix : PREFIXES) {
                probes.add(Request.of("GET", prefix + path));
                probes.add(Request.json(prefix + path));
            }
        }
        in.descriptors().services().values().forEach(s -> s.getMethods().forEach(m -> PREFIXES.forEach(prefix ->
                probes.add(Request.json(prefix + ServiceDescriptors.grpcPath(m))))));
        return probes;
    }

    /** A concrete path a route's path matcher accepts (null for regular expressions). */
    static String probePath(RouteMatch match) {
        return switch (match.getPathSpecifierCase()) {
            case PREFIX -> match.getPrefix().endsWith("/") ? match.getPrefix() + "probe" : match.getPrefix() + "Probe";
            case PATH -> match.getPath();
            case PATH_SEPARATED_PREFIX -> match.getPathSeparatedPrefix() + "/probe";
            default -> null;
        };
    }
}

package io.pawfiler.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * A model of what the front door does with a request, read from the parsed envoy.yaml: which route serves it, which
 * filters run on it, whether the token check demands a token, and where the /api first pass sends it. It understands
 * the match and rewrite features envoy.yaml uses and refuses (throws) on anything else, so a new kind of route
 * cannot be misjudged silently. It is a model, not Envoy: it does not normalise paths, resolve DNS or run filters.
 */
final class FrontDoor {

    static final String CORS = "envoy.filters.http.cors";
    static final String JWT = "envoy.filters.http.jwt_authn";
    static final String GRPC_WEB = "envoy.filters.http.grpc_web";
    static final String TRANSCODER = "envoy.filters.http.grpc_json_transcoder";
    static final String ROUTER = "envoy.filters.http.router";

    /** A request as the listener sees it: method, path without the query, lower-case headers. */
    record Request(String method, String path, Map<String, String> headers) {

        static Request of(String method, String path) {
            return new Request(method, path, Map.of());
        }

        /** What the original frontend sends for a gRPC method: POST with a JSON body. */
        static Request json(String path) {
            return new Request("POST", path, Map.of("content-type", "application/json"));
        }

        static Request preflight(String path, String origin) {
            return new Request("OPTIONS", path, Map.of("origin", origin, "access-control-request-method", "POST"));
        }

        String header(String name) {
            return name.equals(":method") ? method : name.equals(":path") ? path : headers.get(name);
        }

        Request rewritten(String newPath, Map<String, String> added) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.putAll(added);
            return new Request(method, newPath, all);
        }
    }

    /** One trip through the listener's filter chain: the request as it arrived and the route it matched (or none). */
    record Pass(Request request, Route route) {
    }

    enum Token { NOT_CHECKED, NONE, IF_SENT, REQUIRED }

    enum Protocol { HTTP1, HTTP2, DOWNSTREAM }

    final Bootstrap bootstrap;
    final Listener listener;
    final HttpConnectionManager hcm;
    final VirtualHost host;
    final List<HttpFilter> filters;
    final Map<String, Cluster> clusters = new LinkedHashMap<>();
    final JwtAuthentication jwt;

    FrontDoor(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
        if (bootstrap.getStaticResources().getListenersCount() != 1) {
            throw new IllegalStateException("expected one listener, the front door");
        }
        listener = bootstrap.getStaticResources().getListeners(0);
        Filter network = listener.getFilterChains(0).getFilters(0);
        hcm = EnvoyConfig.unpack(network.getTypedConfig(), HttpConnectionManager.class);
        if (!hcm.hasRouteConfig() || hcm.getRouteConfig().getVirtualHostsCount() != 1) {
            throw new IllegalStateException("expected one static route config with one virtual host");
        }
        host = hcm.getRouteConfig().getVirtualHosts(0);
        filters = hcm.getHttpFiltersList();
        bootstrap.getStaticResources().getClustersList().forEach(c -> clusters.put(c.getName(), c));
        jwt = filter(JWT).map(f -> EnvoyConfig.unpack(f.getTypedConfig(), JwtAuthentication.class)).orElse(null);
    }

    int listenerPort() {
        return listener.getAddress().getSocketAddress().getPortValue();
    }

    Optional<HttpFilter> filter(String name) {
        return filters.stream().filter(f -> f.getName().equals(name)).findFirst();
    }

    /** The passes a request makes: one, or two when a route sends it back into the listener (the /api prefix). */
    List<Pass> resolve(Request request) {
        List<Pass> passes = new ArrayList<>();
        Request current = request;
        while (true) {
            Route route = match(current);
            passes.add(new Pass(current, route));
            if (route == null || !route.hasRoute() || !isLoopback(route.getRoute().getCluster())) {
                return passes;
            }
            if (passes.size() > 3) {
                throw new IllegalStateException("request loops through the listener: " + passes);
            }
            current = current.rewritten(rewrite(route, current.path()), headersAdded(route));
        }
    }

    /** The last pass: where the request ends up. */
    Pass finalPass(Request request) {
        List<Pass> passes = resolve(request);
        return passes.get(passes.size() - 1);
    }

    Route match(Request request) {
        for (Route route : host.getRoutesList()) {
            if (matches(route.getMatch(), request)) {
                return route;
            }
        }
        return null;
    }

    /** A cluster that points back at this listener. */
    boolean isLoopback(String clusterName) {
        Cluster cluster = clusters.get(clusterName);
        return cluster != null && address(cluster).getPortValue() == listenerPort()
                && (address(cluster).getAddress().equals("127.0.0.1") || address(cluster).getAddress().equals("localhost"));
    }

    static SocketAddress address(Cluster cluster) {
        if (cluster.getLoadAssignment().getEndpointsCount() != 1
                || cluster.getLoadAssignment().getEndpoints(0).getLbEndpointsCount() != 1) {
            throw new IllegalStateException("cluster " + cluster.getName() + ": expected one endpoint");
        }
        return cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    }

    static Protocol protocol(Cluster cluster) {
        Any options = cluster.getTypedExtensionProtocolOptionsMap()
                .get("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        if (options == null) {
            return Protocol.HTTP1;  // Envoy's default upstream protocol
        }
        HttpProtocolOptions http = EnvoyConfig.unpack(options, HttpProtocolOptions.class);
        if (http.hasUseDownstreamProtocolConfig()) {
            return Protocol.DOWNSTREAM;
        }
        if (http.hasExplicitHttpConfig() && http.getExplicitHttpConfig().hasHttp2ProtocolOptions()) {
            return Protocol.HTTP2;
        }
        if (http.hasAutoConfig()) {
            throw new IllegalStateException("cluster " + cluster.getName() + ": auto_config is not modelled");
        }
        return Protocol.HTTP1;
    }

    /** Whether an HTTP filter runs on a pass that matched this route (route, then virtual host may disable it). */
    boolean runs(String filterName, Route route) {
        Optional<HttpFilter> filter = filter(filterName);
        if (filter.isEmpty()) {
            return false;
        }
        boolean enabled = !filter.get().getDisabled();
        for (Map<String, Any> perFilter : route == null ? List.of(host.getTypedPerFilterConfigMap())
                : List.of(route.getTypedPerFilterConfigMap(), host.getTypedPerFilterConfigMap())) {
            Any config = perFilter.get(filterName);
            if (config != null && EnvoyConfig.typeName(config).equals(FilterConfig.getDescriptor().getFullName())) {
                return !EnvoyConfig.unpack(config, FilterConfig.class).getDisabled();
            }
            if (config != null) {
                return true;  // a filter's own per-route config enables it
            }
        }
        return enabled;
    }

    /** The CORS policy that applies on a route (route level, else virtual host level). */
    Optional<CorsPolicy> cors(Route route) {
        for (Map<String, Any> perFilter : List.of(route.getTypedPerFilterConfigMap(), host.getTypedPerFilterConfigMap())) {
            Any config = perFilter.get(CORS);
            if (config != null && EnvoyConfig.typeName(config).equals(CorsPolicy.getDescriptor().getFullName())) {
                return Optional.of(EnvoyConfig.unpack(config, CorsPolicy.class));
            }
        }
        return Optional.empty();
    }

    /** What the token check demands of a request over all its passes (the strictest pass where it runs). */
    Token token(Request request) {
        Token strictest = Token.NOT_CHECKED;
        for (Pass pass : resolve(request)) {
            if (jwt != null && runs(JWT, pass.route())) {
                Token here = tokenRule(pass.request());
                if (here.compareTo(strictest) > 0) {
                    strictest = here;
                }
            }
        }
        return strictest;
    }

    /** jwt_authn's answer for one pass: the first rule that matches decides. */
    Token tokenRule(Request request) {
        if (jwt.getBypassCorsPreflight() && request.method().equals("OPTIONS") && request.header("origin") != null
                && request.header("access-control-request-method") != null) {
            return Token.NONE;
        }
        for (RequirementRule rule : jwt.getRulesList()) {
            if (matches(rule.getMatch(), request)) {
                if (rule.hasRequirementName()) {
                    throw new IllegalStateException("requirement_name rules are not modelled");
                }
                return rule.hasRequires() ? classify(rule.getRequires()) : Token.NONE;
            }
        }
        return Token.NONE;  // no rule: jwt_authn lets the request through
    }

    private static Token classify(JwtRequirement requirement) {
        return switch (requirement.getRequiresTypeCase()) {
            case PROVIDER_NAME, PROVIDER_AND_AUDIENCES -> Token.REQUIRED;
            case ALLOW_MISSING, ALLOW_MISSING_OR_FAILED -> Token.NONE;
            case REQUIRES_ANY -> requirement.getRequiresAny().getRequirementsList().stream()
                    .map(FrontDoor::classify).min(Enum::compareTo)
                    .map(t -> t == Token.NONE ? Token.IF_SENT : t).orElse(Token.REQUIRED);
            case REQUIRES_ALL -> requirement.getRequiresAll().getRequirementsList().stream()
                    .map(FrontDoor::classify).max(Enum::compareTo).orElse(Token.NONE);
            case REQUIRESTYPE_NOT_SET -> Token.NONE;
        };
    }

    static boolean matches(RouteMatch match, Request request) {
        if (match.getQueryParametersCount() > 0 || match.hasRuntimeFraction() || match.getDynamicMetadataCount() > 0
                || match.hasTlsContext()) {
            throw new IllegalStateException("route match feature not modelled: " + match);
        }
        boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
        String path = caseSensitive ? request.path() : request.path().toLowerCase(Locale.ROOT);
        boolean pathMatches = switch (match.getPathSpecifierCase()) {
            case PREFIX -> path.startsWith(cased(match.getPrefix(), caseSensitive));
            case PATH -> path.equals(cased(match.getPath(), caseSensitive));
            case SAFE_REGEX -> Pattern.compile(match.getSafeRegex().getRegex()).matcher(request.path()).matches();
            case PATH_SEPARATED_PREFIX -> {
                String prefix = cased(match.getPathSeparatedPrefix(), caseSensitive);
                yield path.equals(prefix) || path.startsWith(prefix + "/");
            }
            default -> throw new IllegalStateException("path specifier not modelled: " + match.getPathSpecifierCase());
        };
        if (!pathMatches) {
            return false;
        }
        if (match.hasGrpc() && !String.valueOf(request.header("content-type")).startsWith("application/grpc")) {
            return false;
        }
        for (HeaderMatcher header : match.getHeadersList()) {
            if (!matches(header, request)) {
                return false;
            }
        }
        return true;
    }

    private static String cased(String value, boolean caseSensitive) {
        return caseSensitive ? value : value.toLowerCase(Locale.ROOT);
    }

    static boolean matches(HeaderMatcher matcher, Request request) {
        String value = request.header(matcher.getName());
        if (value == null && matcher.getTreatMissingHeaderAsEmpty()) {
            value = "";
        }
        return switch (matcher.getHeaderMatchSpecifierCase()) {
            case PRESENT_MATCH -> (value != null) == matcher.getPresentMatch() ^ matcher.getInvertMatch();
            case STRING_MATCH -> value != null && matches(matcher.getStringMatch(), value) ^ matcher.getInvertMatch();
            default -> throw new IllegalStateException("header matcher not modelled: " + matcher);
        };
    }

    static boolean matches(StringMatcher matcher, String value) {
        String v = matcher.getIgnoreCase() ? value.toLowerCase(Locale.ROOT) : value;
        return switch (matcher.getMatchPatternCase()) {
            case EXACT -> v.equals(cased(matcher.getExact(), !matcher.getIgnoreCase()));
            case PREFIX -> v.startsWith(cased(matcher.getPrefix(), !matcher.getIgnoreCase()));
            case SUFFIX -> v.endsWith(cased(matcher.getSuffix(), !matcher.getIgnoreCase()));
            case CONTAINS -> v.contains(cased(matcher.getContains(), !matcher.getIgnoreCase()));
            case SAFE_REGEX -> Pattern.compile(matcher.getSafeRegex().getRegex(),
                    matcher.getIgnoreCase() ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
            default -> throw new IllegalStateException("string matcher not modelled: " + matcher);
        };
    }

    /** The path after a route's prefix_rewrite (the only rewrite envoy.yaml uses). */
    static String rewrite(Route route, String path) {
        if (route.getRoute().hasRegexRewrite() || route.getRoute().hasPathRewritePolicy()) {
            throw new IllegalStateException("route " + route.getName() + ": only prefix_rewrite is modelled");
        }
        String rewrite = route.getRoute().getPrefixRewrite();
        if (rewrite.isEmpty()) {
            return path;
        }
        RouteMatch match = route.getMatch();
        String prefix = switch (match.getPathSpecifierCase()) {
            case PREFIX -> match.getPrefix();
            case PATH -> match.getPath();
            case PATH_SEPARATED_PREFIX -> match.getPathSeparatedPrefix();
            default -> throw new IllegalStateException("prefix_rewrite with " + match.getPathSpecifierCase());
        };
        return rewrite + path.substring(prefix.length());
    }

    private static Map<String, String> headersAdded(Route route) {
        Map<String, String> added = new LinkedHashMap<>();
        route.getRequestHeadersToAddList().forEach(h -> added.put(h.getHeader().getKey().toLowerCase(Locale.ROOT),
                h.getHeader().getValue()));
        return added;
    }
}

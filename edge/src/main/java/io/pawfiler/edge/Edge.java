package io.pawfiler.edge;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClientStubFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;

import io.grpc.Channel;
import io.grpc.ServiceDescriptor;

/**
 * The Java edge: what {@code gateway-envoy/envoy.yaml} makes Envoy do on :8080, for machines without Envoy, on
 * Armeria. Every method of the six gRPC services is forwarded to its service (native gRPC, gRPC-Web, and JSON
 * {@code POST /<pkg>.<Service>/<Method>} transcoded with proto field names and every primitive field printed, errors
 * as Envoy's {@code convert_grpc_status} answers them); the REST routes are proxied, uploads streamed; {@code /api}
 * is stripped; CORS for the configured origins; a token check against auth-service's JWKS except for public
 * operations. {@code GET /ready} on the admin port answers once the first JWKS fetch succeeded. Runs in its own JVM:
 * Armeria brings grpc-java 1.78 and Netty 4.2, which must never meet Helidon's grpc 1.65.
 */
public final class Edge implements AutoCloseable {

    /** Envoy's grpc_json_transcoder max_request_body_size: community posts may carry an image inline. */
    static final int MAX_JSON_REQUEST_BYTES = 16 * 1024 * 1024;

    private final EdgeSettings settings;
    private final ClientFactory clients;
    private final JwtCheck jwt;
    private final Server server;
    private final Server admin;
    private final AtomicBoolean ready = new AtomicBoolean();

    public Edge(EdgeSettings settings) {
        this.settings = settings;
        this.clients = ClientFactory.builder().idleTimeout(Duration.ofSeconds(60)).build();
        EdgeRoutes routes = new EdgeRoutes(settings.publicGrpcMethods());
        this.jwt = new JwtCheck(routes, settings.jwksUrl(), settings.issuer(), settings.jwksCacheDuration());
        this.server = frontDoor();
        this.admin = Server.builder()
                .http(settings.adminPort())
                .service("/ready", (ctx, req) -> ready.get() ? HttpResponse.of("LIVE")
                        : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                                "waiting for the first JWKS fetch"))
                .build();
    }

    private Server frontDoor() {
        ServerBuilder sb = Server.builder()
                .http(settings.port())
                .requestTimeout(EdgeRoutes.DEFAULT_TIMEOUT)
                // uploads and gRPC streams are bounded by their route timeouts and the services' own limits
                .maxRequestLength(0)
                // Envoy's idle_timeout: a browser's kept-alive connection
                .idleTimeout(Duration.ofSeconds(3600));

        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO, GrpcSerializationFormats.JSON,
                        GrpcSerializationFormats.PROTO_WEB, GrpcSerializationFormats.PROTO_WEB_TEXT)
                .enableUnframedRequests(true)
                .unframedGrpcErrorHandler(GrpcStatusJson.INSTANCE)
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .errorHandler(GrpcStatusJson.INSTANCE).build())
                .jsonMarshallerFactory(Edge::envoyJson)
                .maxRequestMessageLength(MAX_JSON_REQUEST_BYTES)
                // the route timeout governs, as in Envoy (which forwards grpc-timeout but does not obey it)
                .useClientTimeoutHeader(false);
        for (Upstream upstream : Upstream.values()) {
            grpc.addService(GrpcForwarder.forward(upstream.grpcService(), channel(upstream, false),
                    channel(upstream, true)));
        }
        GrpcService grpcService = grpc.build();
        HttpService health = (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"status\":\"UP\"}");

        // "/" and "/api": Envoy strips the prefix and serves the rest as a request without it
        sb.contextPath("/", EdgeRoutes.API_PREFIX)
                .service(grpcService, grpcTimeouts(), delegate -> delegate.decorate(Edge::jsonUnlessGrpc))
                .service("/health", health)
                .and();
        for (EdgeRoutes.RestRoute route : EdgeRoutes.REST) {
            HttpService proxy = restProxy(route);
            for (String pattern : route.armeriaPatterns()) {
                var paths = sb.contextPath("/", EdgeRoutes.API_PREFIX);
                if (route.readsOnly()) {
                    paths.route().methods(HttpMethod.GET, HttpMethod.HEAD).path(pattern).build(proxy);
                } else {
                    paths.service(pattern, proxy);
                }
                paths.and();
            }
        }
        // innermost first: the token check, then CORS around it, so that a 401 carries CORS headers too
        sb.decorator(jwt);
        sb.decorator(CorsService.builder(settings.allowedOrigins())
                .allowRequestMethods(EdgeRoutes.CORS_ALLOWED_METHODS.stream().map(HttpMethod::valueOf).toList())
                .allowRequestHeaders(EdgeRoutes.CORS_ALLOWED_HEADERS)
                .exposeHeaders(EdgeRoutes.CORS_EXPOSED_HEADERS)
                .maxAge(EdgeRoutes.CORS_MAX_AGE)
                .newDecorator());
        return sb.build();
    }

    /** What Envoy passes to the upstream as gRPC (after its grpc_web filter): everything else is a JSON call. */
    private static final java.util.Set<String> GRPC_CONTENT_TYPES = java.util.Set.of("application/grpc",
            "application/grpc+proto", "application/grpc-web", "application/grpc-web+proto",
            "application/grpc-web-text", "application/grpc-web-text+proto");

    /**
     * Envoy's transcoder reads the body of every non-gRPC request to a gRPC method as JSON, whatever its content type:
     * curl's default form type, none at all, or the original frontend's {@code application/grpc-web+json} with a
     * plain JSON body (Envoy's grpc_web filter does not take that type). Armeria would refuse those, so they are
     * relabelled JSON here. Such bodies are bounded as Envoy bounds them; gRPC streams (uploads) are not.
     */
    private static HttpResponse jsonUnlessGrpc(HttpService delegate,
                                               com.linecorp.armeria.server.ServiceRequestContext ctx,
                                               com.linecorp.armeria.common.HttpRequest req) throws Exception {
        MediaType type = req.contentType();
        if (type != null && GRPC_CONTENT_TYPES.contains(type.withoutParameters().toString())) {
            return delegate.serve(ctx, req);
        }
        // a JSON (or unframed protobuf) body is read whole before it is transcoded: Envoy's max_request_body_size
        ctx.setMaxRequestLength(MAX_JSON_REQUEST_BYTES);
        if (type != null && (type.isProtobuf() || type.is(MediaType.JSON))) {
            return delegate.serve(ctx, req);
        }
        RequestHeaders json = req.headers().toBuilder().contentType(MediaType.JSON_UTF_8).build();
        com.linecorp.armeria.common.HttpRequest relabelled = req.withHeaders(json);
        ctx.updateRequest(relabelled);
        return delegate.serve(ctx, relabelled);
    }

    /** Sets each gRPC call's timeout from Envoy's routes (15 s, video streams 300 s, AnalyzeVideo 90 s). */
    private static java.util.function.Function<? super HttpService, ? extends HttpService> grpcTimeouts() {
        return delegate -> (HttpService) (ctx, req) -> {
            ctx.setRequestTimeout(TimeoutMode.SET_FROM_START,
                    EdgeRoutes.grpcTimeout(EdgeRoutes.withoutApiPrefix(ctx.path())));
            return delegate.serve(ctx, req);
        };
    }

    /**
     * Proxies to the upstream's REST port over HTTP/1.1 (as Envoy's *-rest clusters do), streaming both ways, with
     * the route's timeout.
     */
    private HttpService restProxy(EdgeRoutes.RestRoute route) {
        WebClient client = restClient(route.upstream(), false);
        WebClient reads = route.retriesReads() ? restClient(route.upstream(), true) : client;
        RequestOptions options = RequestOptions.builder()
                .responseTimeout(route.timeout())
                .maxResponseLength(0)
                .build();
        return (ctx, req) -> {
            ctx.setRequestTimeout(TimeoutMode.SET_FROM_START, route.timeout());
            String path = EdgeRoutes.withoutApiPrefix(req.path());
            RequestHeaders headers = req.headers().toBuilder()
                    .path(path)
                    .removeAndThen(HttpHeaderNames.AUTHORITY)
                    .add(HttpHeaderNames.X_FORWARDED_FOR, ctx.clientAddress().getHostAddress())
                    .set("x-forwarded-proto", "http")
                    .build();
            boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
            return (read ? reads : client).execute(req.withHeaders(headers), options).recover(Edge::upstreamFailure);
        };
    }

    /** An HTTP/1.1 client of the upstream's REST port, with {@link ReadRetries#rest()} when {@code retrying}. */
    private WebClient restClient(Upstream upstream, boolean retrying) {
        URI base = settings.upstream(upstream);
        var builder = WebClient.builder(SessionProtocol.H1C, com.linecorp.armeria.client.Endpoint.of(
                base.getHost(), base.getPort()));
        if (retrying) {
            builder.decorator(ReadRetries.rest());
        }
        return builder.factory(clients).build();
    }

    /**
     * What Envoy answers when an upstream gave no answer (only before any response header; later the response is
     * cut short): 504 after the route timeout, else 503, with its plain-text wording.
     */
    static HttpResponse upstreamFailure(Throwable cause) {
        Throwable failure = com.linecorp.armeria.common.util.Exceptions.peel(cause);
        if (failure instanceof com.linecorp.armeria.client.ResponseTimeoutException
                || failure instanceof com.linecorp.armeria.common.TimeoutException) {
            return HttpResponse.of(HttpStatus.GATEWAY_TIMEOUT, MediaType.PLAIN_TEXT_UTF_8, "upstream request timeout");
        }
        String reason = failure instanceof com.linecorp.armeria.client.UnprocessedRequestException
                ? "connection failure" : "connection termination";
        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                "upstream connect error or disconnect/reset before headers. reset reason: " + reason);
    }

    /**
     * A gRPC channel to the upstream over h2c (Armeria's client; no deadline of its own: each call's counts), with
     * {@link ReadRetries#grpc()} for the unary reads when {@code retrying}.
     */
    private Channel channel(Upstream upstream, boolean retrying) {
        URI base = settings.upstream(upstream);
        ServiceDescriptor descriptor = upstream.grpcService();
        var builder = GrpcClients.builder(SessionProtocol.H2C, com.linecorp.armeria.client.Endpoint.of(
                base.getHost(), base.getPort()));
        if (retrying) {
            builder.decorator(ReadRetries.grpc());
        }
        return builder
                .factory(clients)
                .responseTimeoutMillis(0)
                .maxResponseLength(0)
                .maxResponseMessageLength(-1)
                .clientStubFactory(new GrpcClientStubFactory() {
                    @Override
                    public ServiceDescriptor findServiceDescriptor(Class<?> clientType) {
                        return clientType == ChannelHolder.class ? descriptor : null;
                    }

                    @Override
                    public Object newClientStub(Class<?> clientType, Channel channel) {
                        return new ChannelHolder(channel);
                    }
                })
                .build(ChannelHolder.class)
                .channel();
    }

    /** What the stub factory above hands out: Armeria's channel itself, for the generic forwarder. */
    record ChannelHolder(Channel channel) {
    }

    /** Envoy's print_options: preserve_proto_field_names, always_print_primitive_fields. */
    private static GrpcJsonMarshaller envoyJson(ServiceDescriptor service) {
        return GrpcJsonMarshaller.builder()
                .jsonMarshallerCustomizer(json -> json.preservingProtoFieldNames(true)
                        .includingDefaultValueFields(true))
                .build(service);
    }

    public Edge start() {
        server.start().join();
        admin.start().join();
        Thread.ofVirtual().name("jwks-first-fetch").start(this::awaitKeys);
        return this;
    }

    /** Like Envoy's async_fetch: ready once the JWKS was fetched; retried until it is. */
    private void awaitKeys() {
        while (!ready.get()) {
            try {
                jwt.fetchKeys();
                ready.set(true);
            } catch (Exception e) {
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    public boolean isReady() {
        return ready.get();
    }

    public int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
        admin.stop().join();
        clients.close();
    }

    public static void main(String[] args) {
        EdgeSettings settings = EdgeSettings.fromEnvironment();
        Edge edge = new Edge(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(edge::close, "edge-stop"));
        Map<Upstream, URI> upstreams = new EnumMap<>(settings.upstreams());
        System.out.printf("edge listening on :%d (ready: :%d/ready), origins %s, JWKS %s, upstreams %s%n",
                edge.port(), settings.adminPort(), settings.allowedOrigins(), settings.jwksUrl(), upstreams);
    }
}

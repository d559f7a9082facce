package io.pawfiler.platform.grpc;

import java.util.ArrayList;
import java.util.List;

import io.helidon.microprofile.grpc.server.spi.GrpcMpContext;
import io.helidon.microprofile.grpc.server.spi.GrpcMpExtension;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InternalServer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.limits.SizeLimitSpec;

/**
 * Registers the gRPC side of a service on its port: the application's service beans, each wrapped in the
 * application's {@link ServerInterceptor} beans (lowest {@code @Priority} outermost), plus server reflection
 * (v1alpha, as grpcurl and Postman use it) and the standard gRPC health service. Request messages are checked
 * and limited to {@code pawfiler.grpc.max-message-bytes} (4 MiB, grpc-java's default) first, or to what
 * {@code pawfiler.grpc.message-limits} ({@code service/Method=bytes}, comma-separated) allows one method, such as a
 * post with its media inline: {@link CheckedRequests}.
 */
@ApplicationScoped
public class PlatformGrpcExtension implements GrpcMpExtension {

    private final GrpcHealth health;
    private final Instance<ServerInterceptor> interceptors;
    private final SizeLimitSpec messageLimits;

    @Inject
    PlatformGrpcExtension(GrpcHealth health, Instance<ServerInterceptor> interceptors,
                          @ConfigProperty(name = "pawfiler.grpc.max-message-bytes", defaultValue = "4194304")
                          int maxMessageBytes,
                          @ConfigProperty(name = "pawfiler.grpc.message-limits", defaultValue = " ")
                          String messageLimits) {
        this.health = health;
        this.interceptors = interceptors;
        this.messageLimits = new SizeLimitSpec("pawfiler.grpc.message-limits", messageLimits, maxMessageBytes);
    }

    @Override
    public void configure(GrpcMpContext context) {
        BeanManager beanManager = context.beanManager();
        List<ServerInterceptor> chain = InterceptorOrder.innermostFirst(interceptors.stream());
        List<ServerServiceDefinition> services = new ArrayList<>();
        for (Class<?> serviceClass : beanManager.getExtension(GrpcServicesExtension.class).serviceClasses()) {
            BindableService service = (BindableService) beanManager.createInstance().select(serviceClass).get();
            ServerServiceDefinition definition = service.bindService();
            services.add(definition);
            // ServerInterceptors.intercept runs the last one in the list first: reversed priority order above.
            // unparsable or oversize requests are answered (INVALID_ARGUMENT / RESOURCE_EXHAUSTED), see CheckedRequests
            context.routing().service(ServerInterceptors.intercept(CheckedRequests.wrap(definition, messageLimits),
                    chain));
        }

        ServerServiceDefinition healthService = health.statusManager().getHealthService().bindService();
        services.add(healthService);
        context.routing().service(healthService);

        @SuppressWarnings("deprecation") // v1alpha is the version grpcurl, Postman and grpc-java 1.65 speak
        ServerServiceDefinition reflection = ProtoReflectionService.newInstance().bindService();
        services.add(reflection);
        RegisteredServices server = new RegisteredServices(services);
        context.routing().service(ServerInterceptors.intercept(reflection, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                Context withServer = Context.current().withValue(InternalServer.SERVER_CONTEXT_KEY, server);
                return Contexts.interceptCall(withServer, call, headers, next);
            }
        }));
    }
}

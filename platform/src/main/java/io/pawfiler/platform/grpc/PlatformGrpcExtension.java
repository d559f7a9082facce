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
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

/**
 * What every service's gRPC port gets besides its own services: server reflection (v1alpha, as grpcurl and
 * Postman use it) and the standard gRPC health service.
 */
@ApplicationScoped
public class PlatformGrpcExtension implements GrpcMpExtension {

    private final GrpcHealth health;

    @Inject
    PlatformGrpcExtension(GrpcHealth health) {
        this.health = health;
    }

    @Override
    public void configure(GrpcMpContext context) {
        List<ServerServiceDefinition> services = new ArrayList<>(applicationServices(context.beanManager()));
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

    /** The services Helidon registers from {@link BindableService} beans: reflection describes exactly those. */
    private static List<ServerServiceDefinition> applicationServices(BeanManager beanManager) {
        List<ServerServiceDefinition> definitions = new ArrayList<>();
        for (Bean<?> bean : beanManager.getBeans(BindableService.class, Any.Literal.INSTANCE)) {
            BindableService service = (BindableService) beanManager.getReference(
                    bean, BindableService.class, beanManager.createCreationalContext(bean));
            definitions.add(service.bindService());
        }
        return definitions;
    }
}

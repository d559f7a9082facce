package io.pawfiler.platform.grpc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;

/**
 * Puts {@link GrpcErrorMapping} on each RPC method of every gRPC service bean ({@code *ImplBase} subclass): a method
 * taking a response {@link StreamObserver} last. Method by method because the generated {@code bindService()} is
 * final and cannot be intercepted.
 */
public class GrpcErrorMappingExtension implements Extension {

    <T extends BindableService> void mapErrors(@Observes ProcessAnnotatedType<T> serviceType) {
        serviceType.configureAnnotatedType()
                .filterMethods(method -> isRpcMethod(method.getJavaMember()))
                .forEach(method -> method.add(GrpcErrorMapping.Literal.INSTANCE));
    }

    private static boolean isRpcMethod(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return Modifier.isPublic(method.getModifiers())
                && !Modifier.isFinal(method.getModifiers())
                && !Modifier.isStatic(method.getModifiers())
                && parameters.length > 0
                && StreamObserver.class.isAssignableFrom(parameters[parameters.length - 1]);
    }
}

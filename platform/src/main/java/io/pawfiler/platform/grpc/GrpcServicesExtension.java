package io.pawfiler.platform.grpc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBeanAttributes;

/**
 * Prepares every gRPC service bean ({@code *ImplBase} subclass) of a service:
 * <ul>
 * <li>puts {@link GrpcErrorMapping} on each RPC method (a method taking a response {@link StreamObserver} last),
 *     method by method because the generated {@code bindService()} is final and cannot be intercepted;</li>
 * <li>takes the bean out of Helidon's own discovery (drops {@link BindableService} from its bean types) so that
 *     {@link PlatformGrpcExtension} registers it instead, wrapped in the application's {@code ServerInterceptor}
 *     beans: Helidon 4.1 applies no interceptor to the {@code BindableService} beans it registers itself.</li>
 * </ul>
 */
public class GrpcServicesExtension implements Extension {

    private final List<Class<?>> serviceClasses = new ArrayList<>();

    <T extends BindableService> void mapErrors(@Observes ProcessAnnotatedType<T> serviceType) {
        serviceType.configureAnnotatedType()
                .filterMethods(method -> isRpcMethod(method.getJavaMember()))
                .forEach(method -> method.add(GrpcErrorMapping.Literal.INSTANCE));
    }

    <T extends BindableService> void registerOurselves(@Observes ProcessBeanAttributes<T> service) {
        Set<Type> types = new HashSet<>(service.getBeanAttributes().getTypes());
        if (!types.remove(BindableService.class)) {
            return;
        }
        types.stream()
                .filter(type -> type instanceof Class<?> c && BindableService.class.isAssignableFrom(c) && !c.isInterface()
                        && !Modifier.isAbstract(c.getModifiers()))
                .map(type -> (Class<?>) type)
                .findFirst()
                .ifPresent(serviceClasses::add);
        service.configureBeanAttributes().types(types);
    }

    /** The gRPC service bean classes of the application. */
    List<Class<?>> serviceClasses() {
        return List.copyOf(serviceClasses);
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

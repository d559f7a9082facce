package io.pawfiler.platform.grpc;

import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.grpc.BindableService;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBeanAttributes;

/**
 * Takes every gRPC service bean ({@code *ImplBase} subclass) out of Helidon's own discovery (drops
 * {@link BindableService} from its bean types) so that {@link PlatformGrpcExtension} registers it instead, wrapped in
 * the application's {@code ServerInterceptor} beans: Helidon 4.1 applies no interceptor to the
 * {@code BindableService} beans it registers itself. ({@link GrpcErrorMappingExtension} maps their errors.)
 */
public class GrpcServicesExtension implements Extension {

    private final List<Class<?>> serviceClasses = new ArrayList<>();

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
}

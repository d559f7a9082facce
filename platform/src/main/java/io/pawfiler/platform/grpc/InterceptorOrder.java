package io.pawfiler.platform.grpc;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.grpc.ServerInterceptor;
import jakarta.annotation.Priority;

/**
 * The order of the application's {@link ServerInterceptor} beans, for each runtime's gRPC registration: lowest
 * {@code @Priority} outermost (the token check before the limits), unannotated ones innermost.
 */
public final class InterceptorOrder {

    private InterceptorOrder() {
    }

    /** Innermost first: wrap a handler in them in this order (or hand them to {@code ServerInterceptors.intercept}). */
    public static List<ServerInterceptor> innermostFirst(Stream<ServerInterceptor> interceptors) {
        return interceptors.sorted(Comparator.comparingInt(InterceptorOrder::priority).reversed()).toList();
    }

    private static int priority(ServerInterceptor interceptor) {
        Class<?> type = interceptor.getClass();
        while (type != null && type.getAnnotation(Priority.class) == null) {
            type = type.getSuperclass(); // CDI proxies subclass the bean class
        }
        return type == null ? Integer.MAX_VALUE : type.getAnnotation(Priority.class).value();
    }
}

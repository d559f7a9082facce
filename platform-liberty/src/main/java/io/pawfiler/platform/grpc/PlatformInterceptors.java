package io.pawfiler.platform.grpc;

import java.util.Comparator;
import java.util.List;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The application's {@link ServerInterceptor} beans (token check, limits, error mapping ...) as the one interceptor
 * Liberty's {@code grpc-1.0} is told about ({@code <grpc serverInterceptors="...">} in server.xml). Liberty makes
 * that class itself, outside CDI, so it looks the beans up on first use, lowest {@code @Priority} outermost, as
 * platform-helidon orders them.
 */
public class PlatformInterceptors implements ServerInterceptor {

    private volatile List<ServerInterceptor> chain;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        ServerCallHandler<Q, R> handler = next;
        for (ServerInterceptor interceptor : chain()) {
            handler = intercepted(interceptor, handler);
        }
        return handler.startCall(call, headers);
    }

    private static <Q, R> ServerCallHandler<Q, R> intercepted(ServerInterceptor interceptor,
                                                             ServerCallHandler<Q, R> next) {
        return (call, headers) -> interceptor.interceptCall(call, headers, next);
    }

    /** Innermost first: the handler is wrapped from the inside out. */
    private List<ServerInterceptor> chain() {
        List<ServerInterceptor> known = chain;
        if (known == null) {
            known = CDI.current().select(ServerInterceptor.class).stream()
                    .filter(interceptor -> !(interceptor instanceof PlatformInterceptors))
                    .sorted(Comparator.comparingInt(PlatformInterceptors::priority).reversed())
                    .toList();
            chain = known;
        }
        return known;
    }

    private static int priority(ServerInterceptor interceptor) {
        Class<?> type = interceptor.getClass();
        while (type != null && type.getAnnotation(Priority.class) == null) {
            type = type.getSuperclass(); // CDI proxies subclass the bean class
        }
        return type == null ? Integer.MAX_VALUE : type.getAnnotation(Priority.class).value();
    }
}

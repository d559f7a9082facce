package io.pawfiler.platform.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.grpc.ForwardingServerCallListener;
import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;

/**
 * The application's {@link ServerInterceptor} beans (token check, limits, error mapping ...) as the one interceptor
 * Liberty's {@code grpc-1.0} is told about ({@code <grpc serverInterceptors="...">} in server.xml). Liberty makes
 * that class itself, outside CDI, so it looks the beans up on first use, lowest {@code @Priority} outermost, as
 * platform-helidon orders them.
 */
public class PlatformInterceptors implements ServerInterceptor {

    /** This class comes with the application (WEB-INF/lib), so its loader is the application's. */
    private static final ClassLoader APPLICATION = PlatformInterceptors.class.getClassLoader();

    private volatile List<ServerInterceptor> chain;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Metadata lowerCased = lowerCaseNames(headers);
        return inApplication(() -> {
            ServerCallHandler<Q, R> handler = failuresAsStatus(next);
            for (ServerInterceptor interceptor : chain()) {
                handler = intercepted(interceptor, handler);
            }
            return inApplication(handler.startCall(call, lowerCased));
        });
    }

    /**
     * Liberty runs a call's listener on grpc-java's executor threads, whose context class loader is not the
     * application's; MicroProfile Config (a bean's {@code @ConfigProperty} made during a call) looks the
     * application up by it and would find no configuration. Every step of the call runs with the application's.
     */
    private static <T> T inApplication(Supplier<T> step) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(APPLICATION);
        try {
            return step.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static <Q> ServerCall.Listener<Q> inApplication(ServerCall.Listener<Q> listener) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                run(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                run(super::onHalfClose);
            }

            @Override
            public void onCancel() {
                run(super::onCancel);
            }

            @Override
            public void onComplete() {
                run(super::onComplete);
            }

            @Override
            public void onReady() {
                run(super::onReady);
            }

            private void run(Runnable step) {
                inApplication(() -> {
                    step.run();
                    return null;
                });
            }
        };
    }

    /**
     * A service method that throws ends its call with the status the failure maps to ({@link GrpcErrors#toStatus}:
     * an {@code ApiException}'s code and field). On Helidon platform's CDI interceptor on each RPC method does this;
     * Liberty makes the service instances without CDI interceptors, so here it is done around the call's listener.
     */
    private static <Q, R> ServerCallHandler<Q, R> failuresAsStatus(ServerCallHandler<Q, R> next) {
        return (call, headers) -> {
            String method = call.getMethodDescriptor().getFullMethodName();
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onMessage(Q message) {
                    guarded(() -> super.onMessage(message));
                }

                @Override
                public void onHalfClose() {
                    guarded(super::onHalfClose);
                }

                private void guarded(Runnable step) {
                    try {
                        step.run();
                    } catch (RuntimeException failure) {
                        StatusRuntimeException status = GrpcErrors.toStatus(failure, method);
                        call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
                    }
                }
            };
        };
    }

    /**
     * Liberty hands over the servlet's header names as the client's HTTP/1.1-style spelling ("Authorization"), but
     * gRPC metadata names are lower case: no {@link Metadata.Key} would find them.
     */
    static Metadata lowerCaseNames(Metadata headers) {
        if (headers.keys().stream().allMatch(name -> name.equals(name.toLowerCase(Locale.ROOT)))) {
            return headers;
        }
        byte[][] entries = InternalMetadata.serialize(headers);
        for (int i = 0; i < entries.length; i += 2) {
            entries[i] = new String(entries[i], StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return InternalMetadata.newMetadata(entries);
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

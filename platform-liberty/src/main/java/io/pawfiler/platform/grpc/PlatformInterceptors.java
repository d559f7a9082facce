package io.pawfiler.platform.grpc;

import java.nio.charset.StandardCharsets;
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
import jakarta.enterprise.inject.spi.CDI;

/**
 * The application's {@link ServerInterceptor} beans (token check, limits, database gate ...) as the one interceptor
 * Liberty's {@code grpc-1.0} is told about ({@code <grpc serverInterceptors="...">} in server.xml). Liberty makes
 * that class itself, outside CDI, so it looks the beans up on first use, lowest {@code @Priority} outermost, as
 * platform-helidon orders them. Around them it does what Liberty's servlet-based gRPC leaves out:
 * <ul>
 *   <li>header names in lower case ({@link #lowerCaseNames});</li>
 *   <li>every step of the call with the application's context class loader: Liberty runs a call's listener on
 *       grpc-java's executor threads, and MicroProfile Config (a bean's {@code @ConfigProperty}, made during a call)
 *       finds the application's configuration by that loader;</li>
 *   <li>a service method that throws ends its call with the status the failure maps to
 *       ({@link GrpcErrors#toStatus}: an {@code ApiException}'s code and field). On Helidon platform's CDI
 *       interceptor on each RPC method does this; Liberty makes service instances without CDI interceptors.</li>
 * </ul>
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
            ServerCallHandler<Q, R> handler = next;
            for (ServerInterceptor interceptor : chain()) {
                handler = intercepted(interceptor, handler);
            }
            return new ApplicationSteps<>(call, handler.startCall(call, lowerCased));
        });
    }

    /** The call's listener, each step in the application's class loader, a thrown failure answered as a status. */
    private static final class ApplicationSteps<Q, R>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, R> call;

        ApplicationSteps(ServerCall<Q, R> call, ServerCall.Listener<Q> listener) {
            super(listener);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            answeringFailures(() -> super.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            answeringFailures(super::onHalfClose);
        }

        @Override
        public void onCancel() {
            step(super::onCancel);
        }

        @Override
        public void onComplete() {
            step(super::onComplete);
        }

        @Override
        public void onReady() {
            step(super::onReady);
        }

        private void answeringFailures(Runnable serviceStep) {
            step(() -> {
                try {
                    serviceStep.run();
                } catch (RuntimeException failure) {
                    StatusRuntimeException status =
                            GrpcErrors.toStatus(failure, call.getMethodDescriptor().getFullMethodName());
                    call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
                }
            });
        }

        private static void step(Runnable step) {
            inApplication(() -> {
                step.run();
                return null;
            });
        }
    }

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
            known = InterceptorOrder.innermostFirst(CDI.current().select(ServerInterceptor.class).stream()
                    .filter(interceptor -> !(interceptor instanceof PlatformInterceptors)));
            chain = known;
        }
        return known;
    }
}

package io.pawfiler.platform.grpc;

import io.grpc.stub.StreamObserver;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Completes a gRPC call with the right status when its service method throws.
 *
 * <p>Why not a {@code ServerInterceptor}: Helidon 4.1 applies global gRPC interceptors only to services it builds
 * itself, not to the {@code BindableService} beans it discovers, and a method that throws leaves the call open
 * (the client waits forever). Intercepting the bean method itself works for every service.
 * The same applies to a service that calls {@code onError} itself: use {@link #fail(StreamObserver, Throwable)}.
 */
@GrpcErrorMapping
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class GrpcErrorMappingInterceptor {

    @AroundInvoke
    public Object mapErrors(InvocationContext invocation) throws Exception {
        StreamObserver<?> responses = responseObserver(invocation.getParameters());
        if (responses == null) {
            return invocation.proceed();
        }
        try {
            return invocation.proceed();
        } catch (RuntimeException failure) {
            String method = invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                    + invocation.getMethod().getName();
            HeadersFirst.send(responses);
            responses.onError(GrpcErrors.toStatus(failure, method));
            return null;
        }
    }

    /** Ends a call with the status {@code failure} maps to (for handlers that report errors asynchronously). */
    public static void fail(StreamObserver<?> responses, Throwable failure) {
        HeadersFirst.send(responses);
        responses.onError(GrpcErrors.toStatus(failure, "async handler"));
    }

    /** The response observer of a unary or server-streaming method (its last parameter). */
    private static StreamObserver<?> responseObserver(Object[] parameters) {
        if (parameters != null && parameters.length > 0
                && parameters[parameters.length - 1] instanceof StreamObserver<?> observer) {
            return observer;
        }
        return null;
    }
}

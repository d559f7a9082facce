package io.pawfiler.platform.grpc;

import io.grpc.stub.StreamObserver;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.pawfiler.platform.db.DatabaseAvailability;
import io.pawfiler.platform.db.DatabaseFailures;
import io.pawfiler.platform.errors.ApiException;

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

    private static final System.Logger LOGGER = System.getLogger(GrpcErrorMappingInterceptor.class.getName());

    @Inject
    DatabaseAvailability database;

    @AroundInvoke
    public Object mapErrors(InvocationContext invocation) throws Exception {
        StreamObserver<?> responses = responseObserver(invocation.getParameters());
        if (responses == null) {
            return invocation.proceed();
        }
        try {
            return invocation.proceed();
        } catch (Exception failure) {
            // Exception, not RuntimeException: a failed commit surfaces as JTA's checked RollbackException, and a
            // call left without a status would hang until the client's deadline
            String method = invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                    + invocation.getMethod().getName();
            HeadersFirst.send(responses);
            responses.onError(GrpcErrors.toStatus(duringOutage(failure), method));
            return null;
        }
    }

    /**
     * A call that started before the gate closed and failed while the database monitor sees the database gone met
     * the outage (a pool timeout, a commit on a dead connection, whatever wrapping the driver's error got on the way):
     * the caller gets "unreachable" with a retry delay, never INTERNAL. The caller's own mistakes stay what they are.
     */
    private Exception duringOutage(Exception failure) {
        if (database == null || !database.isDown() || failure instanceof ApiException
                || failure instanceof io.grpc.StatusRuntimeException || failure instanceof io.grpc.StatusException) {
            return failure;
        }
        LOGGER.log(System.Logger.Level.WARNING, "call failed during a database outage; answered unreachable", failure);
        return DatabaseFailures.unreachable(database.retryAfter());
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

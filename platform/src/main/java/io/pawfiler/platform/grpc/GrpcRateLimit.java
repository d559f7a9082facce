package io.pawfiler.platform.grpc;

import java.util.Optional;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.limits.RateLimits;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * Applies {@link RateLimits} to the gRPC methods listed in {@code pawfiler.rate-limits}. Runs after authentication
 * (priority 100), so the caller is known; a call over the limit ends RESOURCE_EXHAUSTED with a RetryInfo delay.
 */
@ApplicationScoped
@Priority(110)
public class GrpcRateLimit implements ServerInterceptor {

    private final RateLimits limits;
    private final CallerContext callers;

    @Inject
    GrpcRateLimit(RateLimits limits, CallerContext callers) {
        this.limits = limits;
        this.callers = callers;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Optional<String> operation = limits.grpcOperation(call.getMethodDescriptor().getFullMethodName());
        Optional<Caller> caller = operation.isPresent() ? callers.current() : Optional.empty();
        if (caller.isPresent()) {
            try {
                limits.acquire(operation.get(), caller.get());
            } catch (ApiException refused) {
                return GrpcErrors.refuse(call, GrpcErrors.toStatus(refused, "rate limit"));
            }
        }
        return next.startCall(call, headers);
    }
}

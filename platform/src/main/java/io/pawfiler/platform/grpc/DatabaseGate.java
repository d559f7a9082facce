package io.pawfiler.platform.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.platform.db.DatabaseAvailability;
import io.pawfiler.platform.db.DatabaseFailures;

/**
 * While the database is unreachable, every call of the service's own RPCs is answered UNAVAILABLE at once, with a
 * {@code google.rpc.RetryInfo} delay, instead of waiting for a pool connection that cannot come. Outermost of the
 * platform's interceptors: a refused call costs neither a permit nor a token check.
 */
@ApplicationScoped
@Priority(40)
public class DatabaseGate implements ServerInterceptor {

    private final DatabaseAvailability database;

    @Inject
    DatabaseGate(DatabaseAvailability database) {
        this.database = database;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (!database.isDown()) {
            return next.startCall(call, headers);
        }
        return GrpcErrors.refuse(call, GrpcErrors.toStatus(DatabaseFailures.unreachable(database.retryAfter()), "gate"));
    }
}

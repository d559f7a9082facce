package io.pawfiler.platform.grpc;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admission control: at most {@code pawfiler.grpc.max-concurrent-calls} unary calls of the service's own RPCs run at
 * once; one more is answered UNAVAILABLE ("busy", safe to retry) at once. Without it every request got a virtual
 * thread whatever the load: past capacity they piled up waiting for the database, all missed their deadlines, and
 * the heap filled until the JVM died (seen at 500 SubmitAnswer/s). Runs before authentication, so an overloaded
 * server also skips the token check. Streaming calls (uploads, watches) are long-lived and not counted.
 */
@ApplicationScoped
@Priority(50)
public class GrpcConcurrencyLimit implements ServerInterceptor {

    private final Semaphore permits;

    @Inject
    GrpcConcurrencyLimit(@ConfigProperty(name = "pawfiler.grpc.max-concurrent-calls", defaultValue = "64") int limit) {
        this.permits = new Semaphore(limit);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        if (!permits.tryAcquire()) {
            return GrpcErrors.refuse(call, GrpcErrors.BUSY);
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        ServerCall<Q, R> releasingCall = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } finally {
                    release.run();
                }
            }
        };
        try {
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                    next.startCall(releasingCall, headers)) {
                @Override
                public void onCancel() {
                    try {
                        super.onCancel();
                    } finally {
                        release.run();
                    }
                }
            };
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    int available() {
        return permits.availablePermits();
    }
}

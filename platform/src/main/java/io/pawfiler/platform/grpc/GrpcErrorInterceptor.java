package io.pawfiler.platform.grpc;

import java.util.UUID;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

/**
 * Turns exceptions thrown by a service method into a gRPC status: {@link ApiException} keeps its code and
 * message (the failing field goes into a {@code google.rpc.BadRequest} detail and is named in the message);
 * anything unexpected becomes INTERNAL with an incident id, logged here, never a stack trace on the wire.
 */
public final class GrpcErrorInterceptor implements ServerInterceptor {

    private static final System.Logger LOGGER = System.getLogger(GrpcErrorInterceptor.class.getName());

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> delegate;
        try {
            delegate = next.startCall(call, headers);
        } catch (RuntimeException e) {
            closeWith(call, e);
            return new ServerCall.Listener<>() {
            };
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                try {
                    super.onMessage(message);
                } catch (RuntimeException e) {
                    closeWith(call, e);
                }
            }

            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (RuntimeException e) {
                    closeWith(call, e);
                }
            }
        };
    }

    private static void closeWith(ServerCall<?, ?> call, RuntimeException failure) {
        StatusRuntimeException status = toStatus(failure, call.getMethodDescriptor().getFullMethodName());
        try {
            call.close(status.getStatus(), status.getTrailers() != null ? status.getTrailers() : new Metadata());
        } catch (IllegalStateException alreadyClosed) {
            LOGGER.log(System.Logger.Level.DEBUG, "call already closed", alreadyClosed);
        }
    }

    /** The status a failure maps to; public so streaming handlers can use it with {@code onError}. */
    public static StatusRuntimeException toStatus(Throwable failure, String method) {
        if (failure instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (failure instanceof ApiException api) {
            String message = api.field().map(f -> f + ": " + api.getMessage()).orElse(api.getMessage());
            com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                    .setCode(grpcCode(api.kind()).getNumber())
                    .setMessage(message);
            api.field().ifPresent(field -> status.addDetails(Any.pack(BadRequest.newBuilder()
                    .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                            .setField(field).setDescription(api.getMessage()))
                    .build())));
            api.retryAfter().ifPresent(retry -> status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retry.toSeconds()))
                    .build())));
            return StatusProto.toStatusRuntimeException(status.build());
        }
        String incident = UUID.randomUUID().toString();
        LOGGER.log(System.Logger.Level.ERROR, "Unexpected failure in " + method + " (incident " + incident + ")", failure);
        return Status.INTERNAL.withDescription("internal error, incident " + incident).asRuntimeException();
    }

    static Code grpcCode(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
            case NOT_FOUND -> Code.NOT_FOUND;
            case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Code.UNAVAILABLE;
            case INTERNAL -> Code.INTERNAL;
        };
    }
}

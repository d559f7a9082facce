package io.pawfiler.platform.grpc;

import java.util.UUID;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import io.pawfiler.platform.db.DatabaseFailures;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

/**
 * How failures become gRPC statuses: {@link ApiException} keeps its code and its message, which starts with the
 * failing field ({@code "email: must be a valid address"}); the field also goes into a standard
 * {@code google.rpc.BadRequest} detail and a retry delay into {@code google.rpc.RetryInfo}; anything unexpected becomes INTERNAL with an
 * incident id, logged here, never a stack trace on the wire.
 */
public final class GrpcErrors {

    private static final System.Logger LOGGER = System.getLogger(GrpcErrors.class.getName());

    /** Overloaded (no database connection in time, or too many calls at once): safe for the caller to retry. */
    public static final Status BUSY = Status.UNAVAILABLE.withDescription("the service is busy, retry later");

    private GrpcErrors() {
    }

    /**
     * Ends a call from an interceptor before its handler runs. The headers go first: Helidon 4.1.2 drops the HTTP
     * {@code :status} of a trailers-only response, which clients then read as INTERNAL.
     *
     * <p>The call is ended once the client has sent its request (at half-close), not at once: Helidon 4.1.2 drops
     * the DATA frames of a stream it already closed without giving their bytes back to the connection's flow-control
     * window, so every refused request leaked its size, and after 64 KiB (one refused upload-sized request, say with
     * an expired token) every call on that HTTP/2 connection hung, other callers' too when a proxy shares the
     * connection. For a client stream (an upload) an early close was worse: DATA arriving on the closed stream made
     * Helidon end the whole connection with GOAWAY PROTOCOL_ERROR, failing every call on it (seen in BadInputFuzzIT).
     * What the client still sends is dropped; a client stream that goes on past {@link #MAX_DROPPED_MESSAGES} is cut
     * off at once.
     */
    public static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        return refuse(call, status.asRuntimeException());
    }

    /** How many messages of a refused client stream are read and dropped before it is closed regardless. */
    static final int MAX_DROPPED_MESSAGES = 256;

    /** The same with the refusal's trailers (its {@code google.rpc} details: field, retry delay). */
    public static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException refusal) {
        Status status = refusal.getStatus();
        Metadata trailers = refusal.getTrailers() == null ? new Metadata() : refusal.getTrailers();
        call.request(2); // the message and anything after it, read and dropped
        return new ServerCall.Listener<>() {
            private boolean closed;
            private int dropped;

            @Override
            public void onMessage(Q message) {
                if (++dropped > MAX_DROPPED_MESSAGES) {
                    close();
                } else {
                    call.request(1);
                }
            }

            @Override
            public void onHalfClose() {
                close();
            }

            @Override
            public void onCancel() {
                closed = true;
            }

            private void close() {
                if (!closed) {
                    closed = true;
                    HeadersFirst.send(call);
                    call.close(status, trailers);
                }
            }
        };
    }

    /** The status a failure maps to; streaming handlers use it with {@code onError}. */
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
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(Math.max(1, retry.toSeconds())))
                    .build())));
            return StatusProto.toStatusRuntimeException(status.build());
        }
        if (DatabaseFailures.isConnectionLoss(failure)) {
            // The database went away under this call (DatabaseGate refuses the next ones before they start).
            return toStatus(DatabaseFailures.unreachable(DatabaseFailures.DEFAULT_RETRY_AFTER), method);
        }
        if (DatabaseFailures.isOverload(failure)) {
            // Overload, not a bug: the caller may retry later (and the log is not flooded with stack traces).
            return BUSY.asRuntimeException();
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

package io.pawfiler.platform.grpc;

import java.util.UUID;

import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

/**
 * How failures become gRPC statuses: {@link ApiException} keeps its code and its message, which starts with the
 * failing field ({@code "email: must be a valid address"}). Only the message: Helidon 4.1.2's gRPC server writes
 * trailers wrongly (GrpcHeadersUtil turns each value into a header name), so any custom or
 * {@code grpc-status-details-bin} trailer would break the response; anything unexpected becomes INTERNAL with an
 * incident id, logged here, never a stack trace on the wire.
 */
public final class GrpcErrors {

    private static final System.Logger LOGGER = System.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {
    }

    /** The status a failure maps to; streaming handlers use it with {@code onError}. */
    public static StatusRuntimeException toStatus(Throwable failure, String method) {
        if (failure instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (failure instanceof ApiException api) {
            String message = api.field().map(f -> f + ": " + api.getMessage()).orElse(api.getMessage());
            return Status.fromCodeValue(grpcCode(api.kind()).getNumber()).withDescription(message).asRuntimeException();
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

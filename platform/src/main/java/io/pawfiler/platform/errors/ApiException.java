package io.pawfiler.platform.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure the caller can act on. Business code throws it; the platform turns it into a gRPC status
 * (with the failing field as a {@code google.rpc.BadRequest} detail) or an RFC 9457 problem+json response.
 */
public class ApiException extends RuntimeException {

    private final ErrorKind kind;
    private final String field;
    private final Duration retryAfter;

    public ApiException(ErrorKind kind, String field, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    public static ApiException invalidArgument(String field, String message) {
        return new ApiException(ErrorKind.INVALID_ARGUMENT, field, message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorKind.NOT_FOUND, null, message, null);
    }

    public static ApiException alreadyExists(String field, String message) {
        return new ApiException(ErrorKind.ALREADY_EXISTS, field, message, null);
    }

    public static ApiException permissionDenied(String message) {
        return new ApiException(ErrorKind.PERMISSION_DENIED, null, message, null);
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(ErrorKind.UNAUTHENTICATED, null, message, null);
    }

    public static ApiException resourceExhausted(String message, Duration retryAfter) {
        return new ApiException(ErrorKind.RESOURCE_EXHAUSTED, null, message, retryAfter);
    }

    public static ApiException failedPrecondition(String message) {
        return new ApiException(ErrorKind.FAILED_PRECONDITION, null, message, null);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(ErrorKind.UNAVAILABLE, null, message, null);
    }

    /** A temporary shortage (memory, workers): the client should retry after {@code retryAfter}. */
    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(ErrorKind.UNAVAILABLE, null, message, retryAfter);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The request field at fault, if one is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

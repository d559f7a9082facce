package io.pawfiler.platform.errors;

/** What went wrong, with its gRPC status code name and HTTP status. */
public enum ErrorKind {
    INVALID_ARGUMENT(400, "Invalid argument"),
    UNAUTHENTICATED(401, "Unauthenticated"),
    PERMISSION_DENIED(403, "Permission denied"),
    NOT_FOUND(404, "Not found"),
    ALREADY_EXISTS(409, "Already exists"),
    FAILED_PRECONDITION(409, "Failed precondition"),
    RESOURCE_EXHAUSTED(429, "Resource exhausted"),
    UNAVAILABLE(503, "Unavailable"),
    INTERNAL(500, "Internal error");

    private final int httpStatus;
    private final String title;

    ErrorKind(int httpStatus, String title) {
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    /** Problem type URI: stable, documented per kind. */
    public String problemType() {
        return "https://pawfiler.io/problems/" + name().toLowerCase().replace('_', '-');
    }
}

package io.pawfiler.paymentsandbox;

/**
 * A refusal the way Toss answers it: an HTTP status and a body {@code {"code": ..., "message": ...}}. The Java
 * controls of {@link SandboxProvider} throw it for what the HTTP API would answer with the same status and code.
 */
public final class SandboxException extends RuntimeException {

    private final int status;
    private final String code;

    public SandboxException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, e.g. 400, 404. */
    public int status() {
        return status;
    }

    /** The Toss error code, e.g. {@code NOT_FOUND_PAYMENT}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "SandboxException[" + status + " " + code + ": " + getMessage() + "]";
    }
}

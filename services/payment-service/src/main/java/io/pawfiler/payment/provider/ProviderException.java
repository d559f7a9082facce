package io.pawfiler.payment.provider;

/**
 * The provider refused a request (a 4xx with its error code: not retried) or could not be reached or failed
 * (retryable: {@link #retryable}).
 */
public class ProviderException extends RuntimeException {

    private final String code;
    private final boolean retryable;

    public ProviderException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** The provider's error code, e.g. Toss's {@code ALREADY_PROCESSED_PAYMENT}; {@code UNAVAILABLE} when unreachable. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Thrown for retryable failures only, so MP Fault Tolerance retries exactly those. */
    public static final class Retryable extends ProviderException {
        public Retryable(String code, String message, Throwable cause) {
            super(code, message, true, cause);
        }
    }
}

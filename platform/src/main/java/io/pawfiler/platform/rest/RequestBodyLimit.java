package io.pawfiler.platform.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.limits.RateLimitSpec;
import io.pawfiler.platform.limits.SizeLimitSpec;

/**
 * No REST request body is larger than {@code pawfiler.rest.max-body-bytes} (1 MiB), except where
 * {@code pawfiler.rest.body-limits} ({@code METHOD /path-prefix=bytes}, comma-separated) allows more, as for video
 * uploads: a body announced larger is refused with 413 before a byte is read, one that grows larger while it is read
 * (chunked) is cut off with 413. A JSON endpoint therefore never buffers megabytes an attacker sent.
 */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
@ApplicationScoped
public class RequestBodyLimit implements ContainerRequestFilter {

    // Field injection, as in DatabaseGateFilter: JAX-RS runtimes may construct providers themselves.
    @Inject
    @ConfigProperty(name = "pawfiler.rest.max-body-bytes", defaultValue = "1048576")
    long defaultLimit;

    @Inject
    @ConfigProperty(name = "pawfiler.rest.body-limits", defaultValue = " ")
    String bodyLimits;

    private SizeLimitSpec limits;

    @PostConstruct
    void parseLimits() {
        limits = new SizeLimitSpec("pawfiler.rest.body-limits", bodyLimits, defaultLimit);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limits.limitFor(RateLimitSpec.httpRequest(request.getMethod(), request.getUriInfo().getPath()));
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    request.abortWith(tooLarge(limit));
                    return;
                }
            } catch (NumberFormatException e) {
                request.abortWith(Problem.of(ErrorKind.INVALID_ARGUMENT, 400, "Content-Length is not a number"));
                return;
            }
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Bounded(request.getEntityStream(), limit));
        }
    }

    private static jakarta.ws.rs.core.Response tooLarge(long limit) {
        return Problem.of(ErrorKind.INVALID_ARGUMENT, 413, "the request body is larger than " + limit + " bytes");
    }

    /**
     * The 413 of a body cut off while a reader (JSON-B, multipart) consumed it, which that reader may have wrapped in
     * its own exception; for the exception mappers.
     */
    static java.util.Optional<jakarta.ws.rs.core.Response> cutOff(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TooLarge tooLarge) {
                return java.util.Optional.of(tooLarge(tooLarge.limit));
            }
            if (cause instanceof Unreadable) {
                return java.util.Optional.of(Problem.of(io.pawfiler.platform.errors.ApiException.invalidArgument(
                        "body", "ended before its declared length (the connection closed or stalled)")));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return java.util.Optional.empty();
    }

    /** Thrown by the bounded stream; an IOException so that readers pass it on as a read failure. */
    static final class TooLarge extends IOException {
        final long limit;

        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes");
            this.limit = limit;
        }
    }

    /**
     * The runtime failed to read the body off the connection, as when a client (or a proxy) closes it before the
     * Content-Length it announced: a 400, not an incident. Runtimes report this unchecked (Helidon's
     * {@code InsufficientDataAvailableException}) or as an IOException; either becomes this.
     */
    static final class Unreadable extends IOException {
        Unreadable(Exception cause) {
            super("the request body could not be read to its end: " + cause.getMessage(), cause);
        }
    }

    /** Counts what the resource reads; past the limit the read fails with 413. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (RuntimeException | IOException e) {
                throw unreadable(e);
            }
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (RuntimeException | IOException e) {
                throw unreadable(e);
            }
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /** Closing drains what the reader left unread, so it can fail as a read does. */
        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (RuntimeException | IOException e) {
                throw unreadable(e);
            }
        }

        private static IOException unreadable(Exception e) {
            return e instanceof TooLarge || e instanceof Unreadable ? (IOException) e : new Unreadable(e);
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
        }
    }
}

package io.pawfiler.edge;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * A {@link ServerServiceDefinition} for an upstream's {@link ServiceDescriptor} whose every method (unary and
 * streaming alike) is forwarded to the upstream over {@code channel}: the caller's metadata (its token included) goes
 * along, the upstream's headers, messages, status and trailers come back, and the call's deadline is what is left of
 * the edge's timeout for the route. Messages flow one at a time in each direction, so a slow reader holds back the
 * writer instead of filling the edge's heap (an UploadVideo stream, a WatchAnalysis stream).
 */
final class GrpcForwarder {

    /** Transport headers the edge sets itself (or that describe the hop from the client, not the call). */
    private static final Set<String> NOT_FORWARDED = Set.of("content-type", "content-length", "te", "connection",
            "keep-alive", "transfer-encoding", "upgrade", "host", "grpc-timeout", "grpc-encoding",
            "grpc-accept-encoding", "accept-encoding", "x-grpc-web", "x-pawfiler-api-prefix");

    private static final Metadata.Key<String> GRPC_TIMEOUT =
            Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcForwarder() {
    }

    /** {@code grpc-timeout} (e.g. {@code 300m}, {@code 15S}) in nanoseconds; null if absent or malformed. */
    static Long timeoutNanos(String grpcTimeout) {
        if (grpcTimeout == null || grpcTimeout.length() < 2 || grpcTimeout.length() > 9) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(grpcTimeout.substring(0, grpcTimeout.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        TimeUnit unit = switch (grpcTimeout.charAt(grpcTimeout.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null || value < 0 ? null : unit.toNanos(value);
    }

    /**
     * @param reads the channel for the unary calls {@link EdgeRoutes#retriesGrpc} retries (a retry needs the whole
     *              request at hand, so streams never go through it)
     */
    static ServerServiceDefinition forward(ServiceDescriptor service, Channel upstream, Channel reads) {
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            boolean retried = method.getType() == MethodDescriptor.MethodType.UNARY
                    && EdgeRoutes.retriesGrpc("/" + method.getFullMethodName());
            addMethod(builder, method, retried ? reads : upstream);
        }
        return builder.build();
    }

    private static <Q, R> void addMethod(ServerServiceDefinition.Builder builder, MethodDescriptor<Q, R> method,
                                         Channel upstream) {
        builder.addMethod(method, new Handler<>(upstream));
    }

    /** Copies what belongs to the call, in both directions; pseudo-headers and hop headers stay behind. */
    static Metadata copy(Metadata from) {
        Metadata to = new Metadata();
        for (String name : from.keys()) {
            if (name.startsWith(":") || NOT_FORWARDED.contains(name)) {
                continue;
            }
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
                for (byte[] value : from.getAll(key)) {
                    to.put(key, value);
                }
            } else {
                Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
                for (String value : from.getAll(key)) {
                    to.put(key, value);
                }
            }
        }
        return to;
    }

    /**
     * A status the upstream never sent (it could not be reached, or reset the stream) gets Envoy's wording, so the
     * caller learns more than a bare UNAVAILABLE.
     */
    static Status described(Status status) {
        if (status.getDescription() != null || status.getCause() == null) {
            return status;
        }
        return status.withDescription("upstream connect error or disconnect/reset before headers. reset reason: "
                + (status.getCause() instanceof com.linecorp.armeria.client.UnprocessedRequestException
                        ? "connection failure" : status.getCause().toString()));
    }

    private static final class Handler<Q, R> implements ServerCallHandler<Q, R> {

        private final Channel upstream;

        Handler(Channel upstream) {
            this.upstream = upstream;
        }

        @Override
        public ServerCall.Listener<Q> startCall(ServerCall<Q, R> serverCall, Metadata headers) {
            CallOptions options = CallOptions.DEFAULT;
            ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
            if (ctx != null && ctx.requestTimeoutMillis() > 0) {
                // the edge's route timeout, less what has passed since the request arrived
                long elapsed = System.nanoTime() - ctx.log().partial().requestStartTimeNanos();
                long left = TimeUnit.MILLISECONDS.toNanos(ctx.requestTimeoutMillis()) - elapsed;
                options = options.withDeadline(Deadline.after(Math.max(left, 1), TimeUnit.NANOSECONDS));
            }
            Long clientTimeout = timeoutNanos(headers.get(GRPC_TIMEOUT));
            if (clientTimeout != null) {
                // a client's own deadline counts when it is the earlier one (Envoy forwards grpc-timeout as it is)
                Deadline client = Deadline.after(clientTimeout, TimeUnit.NANOSECONDS);
                options = options.withDeadline(options.getDeadline() == null ? client
                        : options.getDeadline().minimum(client));
            }
            ClientCall<Q, R> clientCall = upstream.newCall(serverCall.getMethodDescriptor(), options);
            Pipe<Q, R> pipe = new Pipe<>(serverCall, clientCall);
            clientCall.start(pipe.fromUpstream, copy(headers));
            synchronized (pipe) {
                clientCall.request(1);
                serverCall.request(1);
            }
            return pipe.fromClient;
        }
    }

    /**
     * One forwarded call. The two listeners run on different threads and each drives the other side's call, which is
     * not thread-safe: every call into either side happens under this object's lock.
     */
    private static final class Pipe<Q, R> {

        private final ServerCall<Q, R> serverCall;
        private final ClientCall<Q, R> clientCall;
        private boolean upstreamReadPaused;
        private boolean clientReadPaused;
        private boolean closed;

        Pipe(ServerCall<Q, R> serverCall, ClientCall<Q, R> clientCall) {
            this.serverCall = serverCall;
            this.clientCall = clientCall;
        }

        final ServerCall.Listener<Q> fromClient = new ServerCall.Listener<>() {
            @Override
            public void onMessage(Q message) {
                synchronized (Pipe.this) {
                    clientCall.sendMessage(message);
                    if (clientCall.isReady()) {
                        serverCall.request(1);
                    } else {
                        clientReadPaused = true;
                    }
                }
            }

            @Override
            public void onHalfClose() {
                synchronized (Pipe.this) {
                    clientCall.halfClose();
                }
            }

            @Override
            public void onCancel() {
                synchronized (Pipe.this) {
                    if (!closed) {
                        clientCall.cancel("the caller cancelled the call", null);
                    }
                }
            }

            @Override
            public void onReady() {
                synchronized (Pipe.this) {
                    if (upstreamReadPaused) {
                        upstreamReadPaused = false;
                        clientCall.request(1);
                    }
                }
            }
        };

        final ClientCall.Listener<R> fromUpstream = new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
                synchronized (Pipe.this) {
                    serverCall.sendHeaders(copy(headers));
                }
            }

            @Override
            public void onMessage(R message) {
                synchronized (Pipe.this) {
                    serverCall.sendMessage(message);
                    if (serverCall.isReady()) {
                        clientCall.request(1);
                    } else {
                        upstreamReadPaused = true;
                    }
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                synchronized (Pipe.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    try {
                        serverCall.close(described(status), copy(trailers));
                    } catch (IllegalStateException alreadyClosed) {
                        // the caller went away first
                    }
                }
            }

            @Override
            public void onReady() {
                synchronized (Pipe.this) {
                    if (clientReadPaused) {
                        clientReadPaused = false;
                        serverCall.request(1);
                    }
                }
            }
        };
    }
}

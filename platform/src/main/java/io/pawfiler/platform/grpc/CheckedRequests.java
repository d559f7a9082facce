package io.pawfiler.platform.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.limits.SizeLimitSpec;

/**
 * Request messages a service cannot parse get INVALID_ARGUMENT naming the field (oversize ones RESOURCE_EXHAUSTED),
 * not a hung call. Helidon 4.1.2's gRPC server parses a request inside its HTTP/2 frame handler: when the
 * marshaller throws (invalid UTF-8 in a string, truncated bytes, nesting past protobuf's limit), it logs the bytes,
 * cancels the listener and never answers, so the client waits for its deadline. Here every service's request
 * marshaller is wrapped: it checks the bytes first ({@link WireCheck}, which also refuses known fields sent with
 * the wrong wire type, which protobuf would silently drop) and, instead of throwing, hands the call a
 * {@link Refused} that the wrapped handler answers with the status, after the interceptors (token check first) ran.
 */
final class CheckedRequests {

    private CheckedRequests() {
    }

    /** The service with every protobuf request marshaller checked and limited to its method's size limit. */
    static ServerServiceDefinition wrap(ServerServiceDefinition definition, SizeLimitSpec limits) {
        ServiceDescriptor original = definition.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            long limit = Math.min(Integer.MAX_VALUE - 1, limits.limitFor(method.getMethodDescriptor().getFullMethodName()));
            ServerMethodDefinition<?, ?> checked = checked(method, (int) limit);
            descriptor.addMethod(checked.getMethodDescriptor());
            methods.add(checked);
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServerMethodDefinition<?, ?> checked(ServerMethodDefinition<?, ?> method, int maxMessageBytes) {
        MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
        if (!(descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> marshaller)
                || !(marshaller.getMessagePrototype() instanceof Message prototype)) {
            return method;
        }
        MethodDescriptor.Marshaller checkedMarshaller =
                new CheckedMarshaller(marshaller, prototype.getDescriptorForType(), maxMessageBytes);
        MethodDescriptor checkedDescriptor = ((MethodDescriptor) descriptor).toBuilder()
                .setRequestMarshaller(checkedMarshaller)
                .build();
        return ServerMethodDefinition.create(checkedDescriptor, new RefusingHandler(method.getServerCallHandler()));
    }

    /** A request that was refused while parsing: the status it gets. */
    record Refused(StatusRuntimeException status) {
    }

    /** Never throws: bytes that are too many or not a valid message become a {@link Refused}. */
    static final class CheckedMarshaller implements MethodDescriptor.PrototypeMarshaller<Object> {

        private final MethodDescriptor.PrototypeMarshaller<Object> delegate;
        private final Descriptor type;
        private final int maxMessageBytes;

        @SuppressWarnings("unchecked")
        CheckedMarshaller(MethodDescriptor.PrototypeMarshaller<?> delegate, Descriptor type, int maxMessageBytes) {
            this.delegate = (MethodDescriptor.PrototypeMarshaller<Object>) delegate;
            this.type = type;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public InputStream stream(Object value) {
            return delegate.stream(value);
        }

        @Override
        public Object parse(InputStream stream) {
            byte[] bytes;
            try {
                bytes = stream.readNBytes(maxMessageBytes + 1);
            } catch (IOException e) {
                return refuse(WireCheck.WHOLE_MESSAGE, "could not be read");
            }
            if (bytes.length > maxMessageBytes) {
                return new Refused(Status.RESOURCE_EXHAUSTED.withDescription(WireCheck.WHOLE_MESSAGE
                        + ": larger than the limit of " + maxMessageBytes + " bytes").asRuntimeException());
            }
            var problem = WireCheck.problem(bytes, type);
            if (problem.isPresent()) {
                return refuse(problem.get().field(), problem.get().message());
            }
            try {
                return delegate.parse(new ByteArrayInputStream(bytes));
            } catch (RuntimeException e) {
                return refuse(WireCheck.WHOLE_MESSAGE, "is not a valid " + type.getName() + " message");
            }
        }

        private static Refused refuse(String field, String message) {
            return new Refused(GrpcErrors.toStatus(ApiException.invalidArgument(field, message), "request parsing"));
        }

        @Override
        public Class<Object> getMessageClass() {
            return delegate.getMessageClass();
        }

        @Override
        public Object getMessagePrototype() {
            return delegate.getMessagePrototype();
        }
    }

    /** Answers a {@link Refused} request with its status; the service method never sees it. */
    private record RefusingHandler<Q, R>(ServerCallHandler<Q, R> delegate) implements ServerCallHandler<Q, R> {

        @Override
        public ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers) {
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate.startCall(call, headers)) {
                private boolean refused;

                @Override
                public void onMessage(Q message) {
                    if (refused) {
                        return;
                    }
                    if (message instanceof Refused refusal) {
                        refused = true;
                        try {
                            HeadersFirst.send(call); // see GrpcErrors.refuse: Helidon drops trailers-only :status
                        } catch (IllegalStateException alreadySent) {
                            // a streaming service may have answered with headers already
                        }
                        Metadata trailers = refusal.status().getTrailers();
                        call.close(refusal.status().getStatus(), trailers == null ? new Metadata() : trailers);
                        super.onCancel(); // a streaming handler's request observer learns that the call is over
                        return;
                    }
                    super.onMessage(message);
                }

                @Override
                public void onHalfClose() {
                    if (!refused) {
                        super.onHalfClose();
                    }
                }

                @Override
                public void onCancel() {
                    if (!refused) {
                        super.onCancel();
                    }
                }

                @Override
                public void onComplete() {
                    if (!refused) {
                        super.onComplete();
                    }
                }

                @Override
                public void onReady() {
                    if (!refused) {
                        super.onReady();
                    }
                }
            };
        }
    }
}

package io.pawfiler.testing.grpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/** What every test that calls a service over real gRPC needs: a plaintext channel and a bearer token. */
public final class GrpcClients {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcClients() {
    }

    /** h2c to a local service (messages up to 16 MB, for reports and reflection answers). */
    public static ManagedChannel plaintext(int port) {
        return ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024).build();
    }

    /** Sends {@code Authorization: Bearer <token>} with every call. */
    public static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** A response observer that completes {@code done} with the first response, or with the call's error. */
    public static <T> StreamObserver<T> completing(CompletableFuture<T> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    public static void close(ManagedChannel channel) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

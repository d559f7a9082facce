package io.pawfiler.platform.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Over a real gRPC server and channel (loopback): calls past the limit are refused at once, permits come back. */
class GrpcConcurrencyLimitTest {

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> WAIT = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Slow/Wait")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch twoRunning = new CountDownLatch(2);
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callsPastTheLimitAreUnavailableAtOnceAndFinishedCallsFreeTheirPermits() throws Exception {
        GrpcConcurrencyLimit limit = new GrpcConcurrencyLimit(2);
        ServerServiceDefinition slow = ServerServiceDefinition.builder("test.Slow")
                .addMethod(WAIT, ServerCalls.asyncUnaryCall((request, response) -> {
                    twoRunning.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    response.onNext("done " + request);
                    response.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forPort(0).executor(java.util.concurrent.Executors.newCachedThreadPool())
                .addService(ServerInterceptors.intercept(slow, limit)).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();

        ListenableFuture<String> first = ClientCalls.futureUnaryCall(channel.newCall(WAIT, CallOptions.DEFAULT), "1");
        ListenableFuture<String> second = ClientCalls.futureUnaryCall(channel.newCall(WAIT, CallOptions.DEFAULT), "2");
        twoRunning.await(10, TimeUnit.SECONDS);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, WAIT, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "3"));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());

        release.countDown();
        assertEquals("done 1", first.get(10, TimeUnit.SECONDS));
        assertEquals("done 2", second.get(10, TimeUnit.SECONDS));
        assertEquals("done 4", ClientCalls.blockingUnaryCall(channel, WAIT, CallOptions.DEFAULT, "4"));
        // a permit is returned just after the response went out
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limit.available() < 2 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertEquals(2, limit.available());
    }
}

package io.pawfiler.dashboard.api;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.GetUserActivityCountsRequest;
import io.pawfiler.api.community.UserActivityCounts;

/**
 * A stand-in for community-service's GetUserActivityCounts on a real gRPC server (grpc-java, netty) on a loopback
 * port: it answers fixed counts, or never answers at all, to exercise the dashboard's timeout. Started before
 * Helidon boots (declare it before {@code @HelidonTest}); points {@code pawfiler.dashboard.community.port} at itself.
 */
public class StandInCommunity implements BeforeAllCallback {

    /** What a call was asked: the user and the bearer token it came with. */
    public record Call(String userId, String authorization) {
    }

    static final int POSTS = 3;
    static final int COMMENTS = 5;
    static final int LIKES_RECEIVED = 7;
    static final int VOTES_CAST = 2;

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CALL_AUTHORIZATION = Context.key("authorization");

    private static volatile boolean silent;
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static Server server;

    /** From now on, calls are accepted and never answered (true) or answered at once (false). */
    static void silent(boolean neverAnswer) {
        silent = neverAnswer;
    }

    static List<Call> calls() {
        return List.copyOf(CALLS);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (server != null) {
            return;
        }
        CommunityServiceGrpc.CommunityServiceImplBase counts = new CommunityServiceGrpc.CommunityServiceImplBase() {
            @Override
            public void getUserActivityCounts(GetUserActivityCountsRequest request, StreamObserver<UserActivityCounts> response) {
                CALLS.add(new Call(request.getUserId(), CALL_AUTHORIZATION.get()));
                if (silent) {
                    return;  // the call stays open until the client gives up
                }
                response.onNext(UserActivityCounts.newBuilder().setUserId(request.getUserId()).setPosts(POSTS)
                        .setComments(COMMENTS).setLikesReceived(LIKES_RECEIVED).setVotesCast(VOTES_CAST).build());
                response.onCompleted();
            }
        };
        ServerInterceptor authorization = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String value = headers.get(AUTHORIZATION);
                return Contexts.interceptCall(Context.current().withValue(CALL_AUTHORIZATION, value), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(counts, authorization)).build().start();
        System.setProperty("pawfiler.dashboard.community.host", "127.0.0.1");
        System.setProperty("pawfiler.dashboard.community.port", String.valueOf(server.getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }
}

package io.pawfiler.dashboard.clients;

import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.GetUserActivityCountsRequest;
import io.pawfiler.dashboard.domain.CommunityCounts;

/**
 * community-service's exact counts for a user (GetUserActivityCounts), asked over gRPC on the caller's behalf with
 * their token: community allows it for the user themself, admins and services. Under MicroProfile Fault Tolerance:
 * one attempt is bounded by {@code pawfiler.dashboard.community.timeout-ms} (the annotation's value is overridden
 * with it in microprofile-config.properties; the gRPC deadline is just past it), a quick failure (connection refused,
 * UNAVAILABLE) is retried once after a jittered pause, a slow one is not (that would double the wait), the circuit
 * opens when half the recent calls failed, and at most 16 run at once. Whatever goes wrong, the answer is empty: the
 * dashboard shows the section as unavailable.
 */
@ApplicationScoped
public class CommunityClient {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final long deadlineMillis;

    @Inject
    CommunityClient(@ConfigProperty(name = "pawfiler.dashboard.community.host", defaultValue = "localhost") String host,
                    @ConfigProperty(name = "pawfiler.dashboard.community.port", defaultValue = "8083") int port,
                    @ConfigProperty(name = "pawfiler.dashboard.community.timeout-ms", defaultValue = "300") long timeoutMillis) {
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        // a little past the @Timeout, so that fault tolerance's timeout ends a slow call (and aborts the retry) rather
        // than a DEADLINE_EXCEEDED status, which would be retried like a quick failure
        this.deadlineMillis = timeoutMillis + 50;
    }

    @Asynchronous
    @Timeout(value = 300, unit = ChronoUnit.MILLIS)
    @Retry(maxRetries = 1, delay = 20, jitter = 20, retryOn = StatusRuntimeException.class, abortOn = TimeoutException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2)
    @Bulkhead(value = 16, waitingTaskQueue = 32)
    @Fallback(fallbackMethod = "unavailable")
    public CompletionStage<Optional<CommunityCounts>> counts(String userId, String bearerToken) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + bearerToken);
        var counts = CommunityServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .getUserActivityCounts(GetUserActivityCountsRequest.newBuilder().setUserId(userId).build());
        return CompletableFuture.completedFuture(Optional.of(new CommunityCounts(counts.getPosts(), counts.getComments(),
                counts.getLikesReceived(), counts.getVotesCast())));
    }

    CompletionStage<Optional<CommunityCounts>> unavailable(String userId, String bearerToken) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @PreDestroy
    void close() {
        channel.shutdownNow();
    }
}

package io.pawfiler.community.clients;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.pawfiler.api.community.RankingEntry;
import io.pawfiler.api.quiz.GetRankingRequest;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.platform.errors.ApiException;

/**
 * The ranking is quiz-service's (it owns XP, tiers and answers): asked over gRPC on the caller's behalf with their
 * token, under MicroProfile Fault Tolerance. When quiz-service is slow or down, the last good ranking of that order
 * is served (the board's side panel must not fail with it); before any good answer, UNAVAILABLE.
 */
@ApplicationScoped
public class QuizRanking {

    /** Entries of the side panel's ranking. */
    static final int LIMIT = 10;

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final Duration deadline;
    private final Map<String, List<RankingEntry>> lastGood = new ConcurrentHashMap<>();

    @Inject
    QuizRanking(@ConfigProperty(name = "pawfiler.community.quiz.host", defaultValue = "localhost") String host,
                @ConfigProperty(name = "pawfiler.community.quiz.port", defaultValue = "8082") int port,
                @ConfigProperty(name = "pawfiler.community.quiz.deadline", defaultValue = "PT0.8S") Duration deadline) {
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        this.deadline = deadline;
    }

    /** The top players by {@code sortBy} (quiz's orders: tier, accuracy, coins, correct). */
    @Timeout(value = 1, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 50, jitter = 50, retryOn = StatusRuntimeException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2)
    @Bulkhead(16)
    @Fallback(fallbackMethod = "lastGoodRanking")
    public List<RankingEntry> top(String sortBy, String bearerToken) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + bearerToken);
        var response = QuizServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .getRanking(GetRankingRequest.newBuilder().setSortBy(sortBy).setLimit(LIMIT).build());
        List<RankingEntry> entries = response.getEntriesList().stream().map(e -> RankingEntry.newBuilder()
                .setRank(e.getRank()).setUserId(e.getUserId()).setNickname(e.getNickname())
                .setEmoji(e.getAvatarEmoji()).setTierName(e.getTier()).setTotalAnswered(e.getTotalAnswered())
                .setCorrectAnswers(e.getCorrectCount()).setTotalCoins(e.getTotalCoins()).setLevel(e.getLevel())
                .build()).toList();
        lastGood.put(sortBy, entries);
        return entries;
    }

    List<RankingEntry> lastGoodRanking(String sortBy, String bearerToken) {
        List<RankingEntry> entries = lastGood.get(sortBy);
        if (entries == null) {
            throw ApiException.unavailable("the ranking is unavailable (quiz-service does not answer); try again shortly",
                    Duration.ofSeconds(10));
        }
        return entries;
    }

    @PreDestroy
    void close() {
        channel.shutdownNow();
    }
}

package io.pawfiler.dashboard.service;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.dashboard.domain.CommunityCounts;
import io.pawfiler.platform.errors.ApiException;

/** GetDashboard: the read model (one transaction, local) and the community counts (remote, overlapping with it). */
@ApplicationScoped
public class Dashboards {

    public static final int DEFAULT_RECENT_ANALYSES = 5;
    public static final int MAX_RECENT_ANALYSES = 20;

    @Inject
    ReadModelReads reads;

    @Inject
    CommunitySection community;

    @ConfigProperty(name = "pawfiler.dashboard.community.timeout-ms", defaultValue = "300")
    long communityTimeoutMillis;

    /**
     * @param recentAnalysesLimit 0 for the default
     * @param bearerToken         the caller's token, forwarded to community-service
     */
    public DashboardView load(String userId, int recentAnalysesLimit, String bearerToken) {
        if (recentAnalysesLimit < 0 || recentAnalysesLimit > MAX_RECENT_ANALYSES) {
            throw ApiException.invalidArgument("recent_analyses_limit", "must be 0 (default " + DEFAULT_RECENT_ANALYSES
                    + ") to " + MAX_RECENT_ANALYSES);
        }
        CompletableFuture<Optional<CommunityCounts>> counts = community.fetch(userId, bearerToken);
        DashboardView local = reads.read(userId, recentAnalysesLimit == 0 ? DEFAULT_RECENT_ANALYSES : recentAnalysesLimit);
        return new DashboardView(local.userId(), local.card(), local.progress(), local.xpToday(), local.quiz(),
                local.analysisCounts(), local.recentAnalyses(), await(counts), local.subscription(), local.premium(),
                local.asOf(), local.quests());
    }

    /**
     * The client's own timeout (with a retry only for quick failures) bounds the call; this wait adds a margin for
     * the retry and thread hand-over, and never waits longer, whatever happens down there.
     */
    private Optional<CommunityCounts> await(CompletableFuture<Optional<CommunityCounts>> counts) {
        try {
            return counts.get(communityTimeoutMillis + 150, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }
}

package io.pawfiler.dashboard.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.dashboard.clients.CommunityClient;
import io.pawfiler.dashboard.domain.CommunityCounts;

/**
 * The community section: the counts remembered for a few seconds per user (a dashboard is reloaded often, the counts
 * change slowly), else asked from community-service, started before the read model is read so the two overlap.
 */
@ApplicationScoped
public class CommunitySection {

    /** Beyond this many remembered users, expired entries are dropped (and all of them if none had expired). */
    private static final int MAX_CACHED = 10_000;

    private record Cached(CommunityCounts counts, Instant fetchedAt) {
    }

    private final CommunityClient client;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    CommunitySection(CommunityClient client,
                     @ConfigProperty(name = "pawfiler.dashboard.community.cache-ttl", defaultValue = "PT5S") Duration ttl) {
        this.client = client;
        this.ttl = ttl;
    }

    /** Completes with the counts, or empty when community-service did not answer in time (never exceptionally). */
    public CompletableFuture<Optional<CommunityCounts>> fetch(String userId, String bearerToken) {
        Instant now = clock.instant();
        Cached cached = cache.get(userId);
        if (cached != null && cached.fetchedAt().plus(ttl).isAfter(now)) {
            return CompletableFuture.completedFuture(Optional.of(cached.counts()));
        }
        return client.counts(userId, bearerToken).toCompletableFuture()
                .exceptionally(failure -> Optional.empty())
                .thenApply(counts -> {
                    counts.ifPresent(c -> remember(userId, c, now));
                    return counts;
                });
    }

    private void remember(String userId, CommunityCounts counts, Instant now) {
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(entry -> !entry.fetchedAt().plus(ttl).isAfter(now));
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(userId, new Cached(counts, now));
    }
}

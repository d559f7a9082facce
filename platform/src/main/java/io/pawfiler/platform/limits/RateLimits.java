package io.pawfiler.platform.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;

/**
 * Per-user limits on a service's write operations ({@code pawfiler.rate-limits}, see {@link RateLimitSpec}): a
 * flood from one account (a script, a stuck client retrying) is answered RESOURCE_EXHAUSTED / 429 with a retry delay
 * before it reaches the database, while other players are served as usual. Admins are not limited. Counted per
 * instance, in memory (a user idle for a while is forgotten): with N instances a user gets up to N times the limit.
 */
@ApplicationScoped
public class RateLimits {

    private final Map<String, RateLimitSpec.Limit> limits;
    private final Map<String, RateLimiterConfig> configs = new java.util.HashMap<>();
    private final Cache<String, RateLimiter> limiters;

    @Inject
    RateLimits(@ConfigProperty(name = "pawfiler.rate-limits", defaultValue = " ") String spec) {
        this.limits = RateLimitSpec.parse(spec);
        Duration longest = Duration.ofMinutes(1);
        for (var entry : limits.entrySet()) {
            configs.put(entry.getKey(), RateLimiterConfig.custom()
                    .limitForPeriod(entry.getValue().count())
                    .limitRefreshPeriod(entry.getValue().window())
                    .timeoutDuration(Duration.ZERO) // never wait for a permit: refuse
                    .build());
            longest = entry.getValue().window().compareTo(longest) > 0 ? entry.getValue().window() : longest;
        }
        this.limiters = Caffeine.newBuilder().expireAfterAccess(longest.multipliedBy(2)).maximumSize(1_000_000).build();
    }

    /** The operation key configured for a gRPC method ({@code pkg.Service/Method}), if it is limited. */
    public Optional<String> grpcOperation(String fullMethodName) {
        return limits.containsKey(fullMethodName) ? Optional.of(fullMethodName) : Optional.empty();
    }

    /** The operation key configured for an HTTP request ({@code METHOD /path-prefix}), if it is limited. */
    public Optional<String> httpOperation(String method, String path) {
        String request = RateLimitSpec.httpRequest(method, path);
        return limits.keySet().stream().filter(request::startsWith).findFirst();
    }

    /**
     * Counts one call of {@code operation} by {@code caller}.
     *
     * @throws ApiException RESOURCE_EXHAUSTED with the time until the caller may call again, over the limit
     */
    public void acquire(String operation, Caller caller) {
        if (caller.isAdmin()) {
            return;
        }
        RateLimiter limiter = limiters.get(operation + "|" + caller.userId(),
                key -> RateLimiter.of(key, configs.get(operation)));
        if (!limiter.acquirePermission()) {
            RateLimitSpec.Limit limit = limits.get(operation);
            Duration retryAfter = limiter instanceof AtomicRateLimiter atomic
                    ? Duration.ofNanos(atomic.getDetailedMetrics().getNanosToWait()) : limit.window();
            throw ApiException.resourceExhausted("rate_limited: at most " + limit.count() + " calls of " + operation
                    + " per " + limit.window() + " per user; retry later", retryAfter);
        }
    }
}

package io.pawfiler.auth.service;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.auth.domain.LoginThrottlePolicy;
import io.pawfiler.auth.store.LoginThrottleStore;
import io.pawfiler.platform.errors.ApiException;

/** Applies {@link LoginThrottlePolicy} with the counters kept in the database (shared by every instance). */
@ApplicationScoped
public class LoginThrottle {

    private final LoginThrottleStore store;
    private final LoginThrottlePolicy policy;
    private final Clock clock = Clock.systemUTC();

    @Inject
    LoginThrottle(LoginThrottleStore store,
                  @ConfigProperty(name = "pawfiler.auth.login.max-failures") int maxFailures,
                  @ConfigProperty(name = "pawfiler.auth.login.failure-window") Duration window,
                  @ConfigProperty(name = "pawfiler.auth.login.lockout") Duration lockout) {
        this.store = store;
        this.policy = new LoginThrottlePolicy(maxFailures, window, lockout);
    }

    /** @throws ApiException RESOURCE_EXHAUSTED with the time to wait while the email is locked */
    @Transactional
    public void checkNotLocked(String email) {
        policy.lockedFor(store.read(email), clock.instant()).ifPresent(LoginThrottle::tooMany);
    }

    /** Counts a failure; when it reaches the limit the email is locked from now on. */
    @Transactional
    public void recordFailure(String email) {
        store.write(email, policy.afterFailure(store.readForUpdate(email), clock.instant()));
    }

    @Transactional
    public void clear(String email) {
        store.clear(email);
    }

    private static void tooMany(Duration wait) {
        Duration rounded = Duration.ofSeconds(Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0)));
        throw ApiException.resourceExhausted("too many failed sign-ins for this email; try again in "
                + rounded.toSeconds() + " s", rounded);
    }
}

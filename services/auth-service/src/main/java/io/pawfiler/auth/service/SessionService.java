package io.pawfiler.auth.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.auth.domain.Roles;
import io.pawfiler.auth.store.Session;
import io.pawfiler.auth.store.SessionStore;
import io.pawfiler.auth.store.User;
import io.pawfiler.auth.store.UserStore;
import io.pawfiler.auth.tokens.AccessTokens;
import io.pawfiler.auth.tokens.RefreshTokens;
import io.pawfiler.platform.errors.ApiException;

/**
 * Sessions: a sign-in starts a family of refresh tokens; each refresh uses one token up and hands out the next.
 * Presenting a token that was already used means two parties hold the chain (one of them stole it): the whole
 * family is revoked, so the thief's and the victim's next refresh both fail and the user signs in again.
 */
@ApplicationScoped
public class SessionService {

    private static final String INVALID = "refresh token is invalid, expired or revoked";

    private final SessionStore sessions;
    private final UserStore users;
    private final AccessTokens accessTokens;
    private final Duration refreshTokenTtl;
    private final Clock clock = Clock.systemUTC();

    @Inject
    SessionService(SessionStore sessions, UserStore users, AccessTokens accessTokens,
                   @ConfigProperty(name = "pawfiler.auth.refresh-token-ttl") Duration refreshTokenTtl) {
        this.sessions = sessions;
        this.users = users;
        this.accessTokens = accessTokens;
        this.refreshTokenTtl = refreshTokenTtl;
    }

    /** A new family for a fresh sign-in. */
    @Transactional
    public Authenticated start(User user) {
        return issue(user, UUID.randomUUID().toString(), clock.instant());
    }

    /**
     * Swaps a refresh token for a new pair. {@code dontRollbackOn}: when reuse is detected the family revocation
     * must be committed even though the call fails.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public Authenticated refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw ApiException.invalidArgument("refresh_token", "is required");
        }
        Instant now = clock.instant();
        Session session = sessions.byTokenHashForUpdate(RefreshTokens.hash(refreshToken.strip()))
                .orElseThrow(() -> ApiException.unauthenticated(INVALID));
        if (session.revoked() || session.expired(now)) {
            throw ApiException.unauthenticated(INVALID);
        }
        if (session.used()) {
            sessions.revokeFamily(session.familyId(), now);
            throw ApiException.unauthenticated("refresh token was already used; every session of this sign-in "
                    + "has been revoked, please sign in again");
        }
        session.markUsed(now);
        User user = users.byId(session.userId()).orElseThrow(() -> ApiException.unauthenticated(INVALID));
        return issue(user, session.familyId(), now);
    }

    /**
     * Ends the sign-in the token belongs to (its whole family). Unknown or already revoked tokens are fine: logging
     * out twice is not an error.
     *
     * @return how many usable refresh tokens were revoked
     */
    @Transactional
    public int logout(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw ApiException.invalidArgument("refresh_token", "is required");
        }
        return sessions.byTokenHashForUpdate(RefreshTokens.hash(refreshToken.strip()))
                .map(session -> sessions.revokeFamily(session.familyId(), clock.instant()))
                .orElse(0);
    }

    /** Ends every sign-in of the user (logout everywhere). */
    @Transactional
    public int logoutEverywhere(String userId) {
        return sessions.revokeAllOf(userId, clock.instant());
    }

    @Transactional
    public int purgeExpired(Duration olderThan) {
        return sessions.purgeExpiredBefore(clock.instant().minus(olderThan));
    }

    private Authenticated issue(User user, String familyId, Instant now) {
        String refreshToken = RefreshTokens.generate();
        sessions.add(new Session(UUID.randomUUID().toString(), familyId, user.id(), RefreshTokens.hash(refreshToken),
                now, now.plus(refreshTokenTtl)));
        AccessTokens.Issued access = accessTokens.issue(user.id(), user.email(),
                Roles.of(user.admin(), user.premiumUntil(), now), now);
        return new Authenticated(user, access, refreshToken);
    }
}

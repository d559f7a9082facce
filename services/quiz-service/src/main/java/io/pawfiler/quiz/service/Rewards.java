package io.pawfiler.quiz.service;

import java.time.Clock;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;
import io.pawfiler.quiz.domain.Progress;
import io.pawfiler.quiz.store.PlayerProfile;
import io.pawfiler.quiz.store.QuizStore;

/**
 * XP and coins granted outside the quiz (xp.granted, e.g. community-service's vote reward). quiz-service owns XP and
 * coins, so it credits them here, by the same tier rules as answers, and announces the totals as xp.earned.
 */
@ApplicationScoped
public class Rewards {

    /** The most XP one grant may carry: other services reward small actions, never whole tiers. */
    public static final int MAX_GRANT_XP = 1000;
    /** Column sizes of xp_grants / user_profiles: longer ids are a producer's bug, not a database error to retry. */
    static final int MAX_GRANT_ID_LENGTH = 200;
    static final int MAX_USER_ID_LENGTH = 64;

    @Inject
    QuizStore store;

    @Inject
    Outbox outbox;

    private final Clock clock = Clock.systemUTC();

    /**
     * Credits the grant to its player once per grant_id and publishes {@code xp.earned} with the new totals, in one
     * transaction (the caller's inbox transaction). The player's row is locked first, as for answers, so grants and
     * answers of one player apply one after the other; a grant_id credited before changes nothing.
     *
     * @return false if this grant_id had been credited already
     * @throws IllegalArgumentException for a grant no producer should send (the consumer dead-letters it)
     */
    @Transactional
    public boolean credit(XpGranted grant) {
        check(grant);
        Instant now = clock.instant();
        // earned when the player acted, even if this credit comes late (consumer down, replay)
        Instant grantedAt = grant.hasGrantedAt()
                ? Instant.ofEpochSecond(grant.getGrantedAt().getSeconds(), grant.getGrantedAt().getNanos()) : now;
        String userId = grant.getUserId();
        PlayerProfile profile = store.profileForUpdate(userId, now);
        if (!store.recordGrant(grant.getGrantId(), userId, grant.getXp(), grant.getCoins(), grant.getReason(),
                grant.getSourceId(), grantedAt, now)) {
            return false;
        }
        Progress.Grant granted = profile.progress().grant(grant.getXp(), grant.getCoins());
        Progress after = granted.progress();
        profile.update(after, profile.energy(), now);
        // as for answers: nothing earned, nothing announced
        if (grant.getXp() > 0 || grant.getCoins() > 0) {
            outbox.publish(EventType.XP_EARNED, userId, XpEarned.newBuilder()
                    .setUserId(userId).setXp(grant.getXp()).setCoins(grant.getCoins())
                    .setTotalXp(after.totalXp()).setTotalCoins(after.coins())
                    .setTierName(after.tier().displayName()).setLevel(after.level())
                    .setTierPromoted(granted.tierPromoted())
                    .setReason(grant.getReason()).setSourceId(grant.getSourceId())
                    .setEarnedAt(Timestamp.newBuilder().setSeconds(grantedAt.getEpochSecond())
                            .setNanos(grantedAt.getNano()))
                    .build());
        }
        return true;
    }

    private static void check(XpGranted grant) {
        if (grant.getUserId().isBlank() || grant.getUserId().length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("xp.granted " + grant.getGrantId() + ": user_id is blank or too long");
        }
        if (grant.getGrantId().isBlank() || grant.getGrantId().length() > MAX_GRANT_ID_LENGTH) {
            throw new IllegalArgumentException("xp.granted for " + grant.getUserId() + ": grant_id is blank or longer than "
                    + MAX_GRANT_ID_LENGTH);
        }
        if (grant.getXp() < 0 || grant.getCoins() < 0) {
            throw new IllegalArgumentException("xp.granted " + grant.getGrantId() + ": xp and coins must not be negative");
        }
        if (grant.getXp() > MAX_GRANT_XP) {
            throw new IllegalArgumentException("xp.granted " + grant.getGrantId() + ": xp " + grant.getXp()
                    + " is over the limit of " + MAX_GRANT_XP);
        }
    }
}

package io.pawfiler.quiz.service;

import java.time.Clock;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.XpEarned;
import io.pawfiler.api.events.XpGranted;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;
import io.pawfiler.quiz.domain.Progress;
import io.pawfiler.quiz.store.PlayerProfile;
import io.pawfiler.quiz.store.QuizStore;

/**
 * XP and coins granted outside the quiz (xp.granted, e.g. community-service's vote reward; payment.completed's bonus
 * coins). quiz-service owns XP and coins, so it credits them here, by the same tier rules as answers, and announces
 * the totals as xp.earned.
 */
@ApplicationScoped
public class Rewards {

    /** The most XP one grant may carry: other services reward small actions, never whole tiers. */
    public static final int MAX_GRANT_XP = 1000;
    /** The most coins one purchase may give: plans give hundreds (yearly: 500); more is a producer's bug. */
    public static final int MAX_PAYMENT_BONUS_COINS = 100_000;
    /** xp.earned's reason for a plan's purchase bonus, and the prefix of its grant id. */
    public static final String PAYMENT_BONUS_REASON = "payment.bonus";
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
        Instant grantedAt = grant.hasGrantedAt() ? instant(grant.getGrantedAt()) : now;
        return credit(new Credit(grant.getGrantId(), grant.getUserId(), grant.getXp(), grant.getCoins(),
                grant.getReason(), grant.getSourceId(), grantedAt), now);
    }

    /**
     * The coins a plan gives on purchase (payment.completed's bonus_coins), once per payment_id: a grant of
     * {@value #PAYMENT_BONUS_REASON} with grant id {@code payment.bonus:<payment_id>}, no XP, announced as
     * {@code xp.earned}. A payment without bonus coins credits nothing.
     *
     * @param eventTime the envelope's time, for a payment without completed_at
     * @return false if there was nothing to credit, or this payment's bonus had been credited already
     * @throws IllegalArgumentException for a payment no producer should send (the consumer dead-letters it)
     */
    @Transactional
    public boolean creditPaymentBonus(PaymentCompleted payment, Instant eventTime) {
        check(payment);
        if (payment.getBonusCoins() == 0) {
            return false;
        }
        Instant paidAt = payment.hasCompletedAt() ? instant(payment.getCompletedAt()) : eventTime;
        return credit(new Credit(PAYMENT_BONUS_REASON + ":" + payment.getPaymentId(), payment.getUserId(), 0,
                payment.getBonusCoins(), PAYMENT_BONUS_REASON, payment.getPaymentId(), paidAt), clock.instant());
    }

    /** One credit of XP and coins, whatever granted it; {@code grantId} is its idempotency key. */
    private record Credit(String grantId, String userId, int xp, int coins, String reason, String sourceId,
                          Instant grantedAt) {
    }

    private boolean credit(Credit credit, Instant now) {
        String userId = credit.userId();
        PlayerProfile profile = store.profileForUpdate(userId, now);
        if (!store.recordGrant(credit.grantId(), userId, credit.xp(), credit.coins(), credit.reason(),
                credit.sourceId(), credit.grantedAt(), now)) {
            return false;
        }
        Progress.Grant granted = profile.progress().grant(credit.xp(), credit.coins());
        Progress after = granted.progress();
        profile.update(after, profile.energy(), now);
        // as for answers: nothing earned, nothing announced
        if (credit.xp() > 0 || credit.coins() > 0) {
            outbox.publish(EventType.XP_EARNED, userId, XpEarned.newBuilder()
                    .setUserId(userId).setXp(credit.xp()).setCoins(credit.coins())
                    .setTotalXp(after.totalXp()).setTotalCoins(after.coins())
                    .setTierName(after.tier().displayName()).setLevel(after.level())
                    .setTierPromoted(granted.tierPromoted())
                    .setReason(credit.reason()).setSourceId(credit.sourceId())
                    .setEarnedAt(Timestamp.newBuilder().setSeconds(credit.grantedAt().getEpochSecond())
                            .setNanos(credit.grantedAt().getNano()))
                    .build());
        }
        return true;
    }

    private static void check(PaymentCompleted payment) {
        if (payment.getUserId().isBlank() || payment.getUserId().length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("payment.completed " + payment.getPaymentId()
                    + ": user_id is blank or too long");
        }
        // the grant id is "payment.bonus:" + payment_id
        int maxPaymentIdLength = MAX_GRANT_ID_LENGTH - PAYMENT_BONUS_REASON.length() - 1;
        if (payment.getPaymentId().isBlank() || payment.getPaymentId().length() > maxPaymentIdLength) {
            throw new IllegalArgumentException("payment.completed for " + payment.getUserId()
                    + ": payment_id is blank or longer than " + maxPaymentIdLength);
        }
        if (payment.getBonusCoins() < 0 || payment.getBonusCoins() > MAX_PAYMENT_BONUS_COINS) {
            throw new IllegalArgumentException("payment.completed " + payment.getPaymentId() + ": bonus_coins "
                    + payment.getBonusCoins() + " is outside 0.." + MAX_PAYMENT_BONUS_COINS);
        }
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

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}

package io.pawfiler.dashboard.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.pawfiler.dashboard.domain.Activity;
import io.pawfiler.dashboard.domain.AnalysisTask;
import io.pawfiler.dashboard.domain.FeedCursor;
import io.pawfiler.dashboard.domain.GameProgress;
import io.pawfiler.dashboard.domain.Metric;
import io.pawfiler.dashboard.domain.ProfileCard;
import io.pawfiler.dashboard.domain.QuizStats;
import io.pawfiler.dashboard.domain.Subscription;

import static io.pawfiler.platform.db.SqlTimes.instant;
import static io.pawfiler.platform.db.SqlTimes.utc;

/**
 * The read model's tables. Names are unqualified: they resolve through the connection's search path, the service's
 * schema for live events and reads, the shadow schema inside a rebuild's transactions ({@link ShadowSchema}).
 * Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class ReadModelStore {

    @Inject
    EntityManager entityManager;

    /**
     * Makes the current transaction read one snapshot (its first statement): a dashboard assembled from several
     * queries never mixes the states before and after an event's commit (quiz totals from after, today's tallies
     * from before).
     */
    public void readOneSnapshot() {
        entityManager.createNativeQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").executeUpdate();
    }

    /**
     * Records that the user has an event at {@code eventTime} (as_of only moves forward) and locks the user's row until
     * commit, so one user's events apply one at a time whatever topic they come from. Call it first in an effect.
     */
    public void lockUser(String userId, Instant eventTime) {
        entityManager.createNativeQuery("""
                        INSERT INTO users (user_id, as_of) VALUES (?1, ?2)
                        ON CONFLICT (user_id) DO UPDATE SET as_of = GREATEST(users.as_of, EXCLUDED.as_of)""")
                .setParameter(1, userId).setParameter(2, at(eventTime)).executeUpdate();
    }

    public Optional<Instant> asOf(String userId) {
        List<?> rows = entityManager.createNativeQuery("SELECT as_of FROM users WHERE user_id = ?1")
                .setParameter(1, userId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(instant(rows.get(0)));
    }

    public Optional<ProfileCard> card(String userId) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT nickname, avatar_emoji, card_changed_at FROM users WHERE user_id = ?1 AND card_changed_at IS NOT NULL")
                .setParameter(1, userId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new ProfileCard((String) r[0], (String) r[1], instant(r[2])));
    }

    public void saveCard(String userId, ProfileCard card) {
        entityManager.createNativeQuery(
                        "UPDATE users SET nickname = ?2, avatar_emoji = ?3, card_changed_at = ?4 WHERE user_id = ?1")
                .setParameter(1, userId).setParameter(2, card.nickname()).setParameter(3, card.avatarEmoji())
                .setParameter(4, at(card.changedAt())).executeUpdate();
    }

    public Optional<GameProgress> progress(String userId) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT level, tier_name, total_xp, total_coins, earned_at FROM game_progress WHERE user_id = ?1")
                .setParameter(1, userId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new GameProgress(number(r[0]).intValue(), (String) r[1], number(r[2]).longValue(),
                number(r[3]).longValue(), instant(r[4])));
    }

    public void saveProgress(String userId, GameProgress progress) {
        entityManager.createNativeQuery("""
                        INSERT INTO game_progress (user_id, level, tier_name, total_xp, total_coins, earned_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        ON CONFLICT (user_id) DO UPDATE SET level = EXCLUDED.level, tier_name = EXCLUDED.tier_name,
                            total_xp = EXCLUDED.total_xp, total_coins = EXCLUDED.total_coins, earned_at = EXCLUDED.earned_at""")
                .setParameter(1, userId).setParameter(2, progress.level()).setParameter(3, progress.tierName())
                .setParameter(4, progress.totalXp()).setParameter(5, progress.totalCoins())
                .setParameter(6, at(progress.earnedAt())).executeUpdate();
    }

    public QuizStats quizStats(String userId) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT total_answered, correct_count, current_streak, streak_at, best_streak, last_answered_at
                        FROM quiz_stats WHERE user_id = ?1""")
                .setParameter(1, userId).getResultList();
        if (rows.isEmpty()) {
            return QuizStats.NONE;
        }
        Object[] r = (Object[]) rows.get(0);
        return new QuizStats(number(r[0]).longValue(), number(r[1]).longValue(), number(r[2]).intValue(),
                r[3] == null ? null : instant(r[3]), number(r[4]).intValue(), r[5] == null ? null : instant(r[5]));
    }

    public void saveQuizStats(String userId, QuizStats stats) {
        entityManager.createNativeQuery("""
                        INSERT INTO quiz_stats (user_id, total_answered, correct_count, current_streak, streak_at, best_streak,
                                                last_answered_at)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS timestamptz), ?6, CAST(?7 AS timestamptz))
                        ON CONFLICT (user_id) DO UPDATE SET total_answered = EXCLUDED.total_answered,
                            correct_count = EXCLUDED.correct_count, current_streak = EXCLUDED.current_streak,
                            streak_at = EXCLUDED.streak_at, best_streak = EXCLUDED.best_streak,
                            last_answered_at = EXCLUDED.last_answered_at""")
                .setParameter(1, userId).setParameter(2, stats.answered()).setParameter(3, stats.correct())
                .setParameter(4, stats.currentStreak()).setParameter(5, at(stats.streakAt()))
                .setParameter(6, stats.bestStreak()).setParameter(7, at(stats.lastAnsweredAt())).executeUpdate();
    }

    /** The task, row-locked until commit (its two events may arrive at once, for one user). */
    public Optional<AnalysisTask> task(String taskId) {
        List<?> rows = entityManager.createNativeQuery("SELECT " + TASK_COLUMNS + " FROM analyses WHERE task_id = ?1 FOR UPDATE")
                .setParameter(1, taskId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(taskRow((Object[]) rows.get(0)));
    }

    public void saveTask(AnalysisTask task) {
        entityManager.createNativeQuery("""
                        INSERT INTO analyses (task_id, user_id, filename, status, verdict, confidence, uploaded_at,
                                              completed_at, sort_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS timestamptz), CAST(?8 AS timestamptz), ?9)
                        ON CONFLICT (task_id) DO UPDATE SET filename = EXCLUDED.filename, status = EXCLUDED.status,
                            verdict = EXCLUDED.verdict, confidence = EXCLUDED.confidence,
                            uploaded_at = EXCLUDED.uploaded_at, completed_at = EXCLUDED.completed_at,
                            sort_at = EXCLUDED.sort_at""")
                .setParameter(1, task.taskId()).setParameter(2, task.userId()).setParameter(3, task.filename())
                .setParameter(4, task.status()).setParameter(5, task.verdict()).setParameter(6, task.confidence())
                .setParameter(7, at(task.uploadedAt())).setParameter(8, at(task.completedAt()))
                .setParameter(9, at(task.sortTime())).executeUpdate();
    }

    /** The user's newest analyses first. */
    public List<AnalysisTask> recentTasks(String userId, int limit) {
        return entityManager.createNativeQuery("SELECT " + TASK_COLUMNS
                        + " FROM analyses WHERE user_id = ?1 ORDER BY sort_at DESC, task_id DESC LIMIT ?2")
                .setParameter(1, userId).setParameter(2, limit).getResultList().stream()
                .map(r -> taskRow((Object[]) r)).toList();
    }

    /** Counts over all of the user's analyses. */
    public record AnalysisCounts(long total, long fake, long real, long inconclusive, long failed, double averageConfidence) {
    }

    public AnalysisCounts analysisCounts(String userId) {
        Object[] r = (Object[]) entityManager.createNativeQuery("""
                        SELECT count(*),
                               count(*) FILTER (WHERE status = 'COMPLETED' AND verdict = 'FAKE'),
                               count(*) FILTER (WHERE status = 'COMPLETED' AND verdict = 'REAL'),
                               count(*) FILTER (WHERE status = 'COMPLETED' AND verdict = 'INCONCLUSIVE'),
                               count(*) FILTER (WHERE status = 'FAILED'),
                               COALESCE(avg(confidence) FILTER (WHERE status = 'COMPLETED'), 0)
                        FROM analyses WHERE user_id = ?1""")
                .setParameter(1, userId).getSingleResult();
        return new AnalysisCounts(number(r[0]).longValue(), number(r[1]).longValue(), number(r[2]).longValue(),
                number(r[3]).longValue(), number(r[4]).longValue(), number(r[5]).doubleValue());
    }

    public Optional<Subscription> subscription(String userId) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT premium_until, plan_id, changed_at, last_payment_at FROM subscriptions WHERE user_id = ?1")
                .setParameter(1, userId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Subscription(r[0] == null ? null : instant(r[0]), (String) r[1],
                r[2] == null ? null : instant(r[2]), r[3] == null ? null : instant(r[3])));
    }

    public void saveSubscription(String userId, Subscription subscription) {
        entityManager.createNativeQuery("""
                        INSERT INTO subscriptions (user_id, premium_until, plan_id, changed_at, last_payment_at)
                        VALUES (?1, CAST(?2 AS timestamptz), ?3, CAST(?4 AS timestamptz), CAST(?5 AS timestamptz))
                        ON CONFLICT (user_id) DO UPDATE SET premium_until = EXCLUDED.premium_until,
                            plan_id = EXCLUDED.plan_id, changed_at = EXCLUDED.changed_at,
                            last_payment_at = EXCLUDED.last_payment_at""")
                .setParameter(1, userId).setParameter(2, at(subscription.premiumUntil()))
                .setParameter(3, subscription.planId()).setParameter(4, at(subscription.changedAt()))
                .setParameter(5, at(subscription.lastPaymentAt())).executeUpdate();
    }

    public void addToTally(String userId, LocalDate day, Metric metric, long amount) {
        entityManager.createNativeQuery("""
                        INSERT INTO daily_tallies (user_id, day, metric, amount) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (user_id, day, metric) DO UPDATE SET amount = daily_tallies.amount + EXCLUDED.amount""")
                .setParameter(1, userId).setParameter(2, java.sql.Date.valueOf(day)).setParameter(3, metric.name())
                .setParameter(4, amount).executeUpdate();
    }

    public Map<Metric, Long> tallies(String userId, LocalDate day) {
        Map<Metric, Long> tallies = new EnumMap<>(Metric.class);
        for (Object row : entityManager.createNativeQuery(
                        "SELECT metric, amount FROM daily_tallies WHERE user_id = ?1 AND day = ?2")
                .setParameter(1, userId).setParameter(2, java.sql.Date.valueOf(day)).getResultList()) {
            Object[] r = (Object[]) row;
            tallies.put(Metric.valueOf((String) r[0]), number(r[1]).longValue());
        }
        return tallies;
    }

    /** Adds a feed line; one per source event (a second with the same id changes nothing). */
    public void addActivity(Activity activity) {
        entityManager.createNativeQuery("""
                        INSERT INTO activities (id, user_id, kind, title, icon, xp, coins, occurred_at, ref_id)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING""")
                .setParameter(1, activity.id()).setParameter(2, activity.userId())
                .setParameter(3, activity.kind().name()).setParameter(4, activity.title())
                .setParameter(5, activity.icon()).setParameter(6, activity.xp()).setParameter(7, activity.coins())
                .setParameter(8, at(activity.occurredAt())).setParameter(9, activity.refId()).executeUpdate();
    }

    /** Up to {@code limit} lines, newest first, after {@code cursor} (a keyset range of the feed index). */
    public List<Activity> activities(String userId, Optional<FeedCursor> cursor, int limit) {
        String columns = "SELECT id, user_id, kind, title, icon, xp, coins, occurred_at, ref_id FROM activities ";
        var query = cursor.isPresent()
                ? entityManager.createNativeQuery(columns + "WHERE user_id = ?1 AND (occurred_at, id) < (?2, ?3) "
                        + "ORDER BY occurred_at DESC, id DESC LIMIT ?4")
                        .setParameter(2, at(cursor.get().occurredAt())).setParameter(3, cursor.get().id())
                : entityManager.createNativeQuery(columns + "WHERE user_id = ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?4");
        return query.setParameter(1, userId).setParameter(4, limit).getResultList().stream().map(row -> {
            Object[] r = (Object[]) row;
            return new Activity((String) r[0], (String) r[1], Activity.Kind.valueOf((String) r[2]), (String) r[3],
                    (String) r[4], number(r[5]).intValue(), number(r[6]).intValue(), instant(r[7]), (String) r[8]);
        }).toList();
    }

    /**
     * Remembers that a quest's reward for that day went out.
     *
     * @return false if it had been granted already
     */
    public boolean recordQuestGrant(String userId, String questId, LocalDate day, Instant now) {
        return entityManager.createNativeQuery("""
                        INSERT INTO quest_grants (user_id, quest_id, day, granted_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (user_id, quest_id, day) DO NOTHING""")
                .setParameter(1, userId).setParameter(2, questId).setParameter(3, java.sql.Date.valueOf(day)).setParameter(4, at(now))
                .executeUpdate() == 1;
    }

    private static final String TASK_COLUMNS =
            "task_id, user_id, filename, status, verdict, confidence, uploaded_at, completed_at";

    private static AnalysisTask taskRow(Object[] r) {
        return new AnalysisTask((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                number(r[5]).doubleValue(), r[6] == null ? null : instant(r[6]), r[7] == null ? null : instant(r[7]));
    }

    /** A UTC timestamp to bind, or null (bound as varchar by EclipseLink: the SQL casts it). */
    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : utc(instant);
    }

    private static Number number(Object value) {
        return (Number) value;
    }
}

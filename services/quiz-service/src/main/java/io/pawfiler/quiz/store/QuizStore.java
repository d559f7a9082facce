package io.pawfiler.quiz.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.pawfiler.quiz.domain.Difficulty;
import io.pawfiler.quiz.domain.QuestionType;

import static io.pawfiler.platform.db.SqlTimes.utc;

/** Questions, profiles, draws, answers and statistics. Callers bring the transaction. */
@ApplicationScoped
public class QuizStore {

    /** How a ranking is ordered; mirrors an index on user_profiles. */
    public enum RankingOrder {
        TIER("tier_rank DESC, tier_xp DESC"),
        CORRECT("correct_count DESC"),
        COINS("coins DESC"),
        ACCURACY("(CAST(correct_count AS float8) / GREATEST(total_answered, 1)) DESC, correct_count DESC");

        final String orderBy;

        RankingOrder(String orderBy) {
            this.orderBy = orderBy;
        }
    }

    /** One ranked player. */
    public record Ranked(int rank, PlayerProfile profile) {
    }

    /** A question's aggregate. */
    public record QuestionStat(String questionId, long attempts, long correct) {
    }

    /** Rows per question in question_stats; enough that concurrent answers to one question rarely share one. */
    static final int STATS_SHARDS = 16;

    @Inject
    EntityManager entityManager;

    // ------------------------------------------------------------------ questions

    public Optional<QuestionEntity> question(String id) {
        return Optional.ofNullable(entityManager.find(QuestionEntity.class, id));
    }

    public void add(QuestionEntity question) {
        entityManager.persist(question);
    }

    /**
     * A random active question matching the filters, preferring ones the user did not answer among their last
     * {@code recentAnswers} answers; when every match was answered recently, any match.
     */
    public Optional<QuestionEntity> randomQuestion(String userId, Optional<Difficulty> difficulty,
                                                   Optional<QuestionType> type, int recentAnswers) {
        String filter = " WHERE NOT q.retired"
                + difficulty.map(d -> " AND q.difficulty = '" + d.wireName() + "'").orElse("")
                + type.map(t -> " AND q.type = '" + t.name() + "'").orElse("");
        String fresh = "SELECT q.id FROM questions q" + filter + " AND q.id NOT IN (SELECT a.question_id FROM "
                + "(SELECT question_id FROM user_answers WHERE user_id = ?1 ORDER BY answered_at DESC LIMIT ?2) a)"
                + " ORDER BY random() LIMIT 1";
        Optional<String> id = firstId(entityManager.createNativeQuery(fresh)
                .setParameter(1, userId).setParameter(2, recentAnswers).getResultList());
        if (id.isEmpty()) {
            id = firstId(entityManager.createNativeQuery("SELECT q.id FROM questions q" + filter
                    + " ORDER BY random() LIMIT 1").getResultList());
        }
        return id.flatMap(this::question);
    }

    private static Optional<String> firstId(List<?> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0));
    }

    // ------------------------------------------------------------------ profiles

    /** Creates the default profile (500 coins, energy 100/100, 알) unless it exists. */
    public void ensureProfile(String userId, Instant now) {
        entityManager.createNativeQuery("INSERT INTO user_profiles (user_id, energy_refilled_at) VALUES (?1, ?2) "
                        + "ON CONFLICT (user_id) DO NOTHING")
                .setParameter(1, userId).setParameter(2, utc(now)).executeUpdate();
    }

    /**
     * Auth-service's card of a player (user.registered, user.profile-changed): the profile with this name, created if
     * absent, unless the card held is as new or newer. A card without {@code changedAt} counts as older than any, so
     * it only names a profile auth never named (the cast gives that null a type).
     *
     * @return false if an equal or newer card was there (nothing changed)
     */
    public boolean applyProfileCard(String userId, String nickname, String avatarEmoji, Instant changedAt, Instant now) {
        return entityManager.createNativeQuery("""
                        INSERT INTO user_profiles (user_id, nickname, avatar_emoji, profile_changed_at, energy_refilled_at,
                            updated_at) VALUES (?1, ?2, ?3, CAST(?4 AS TIMESTAMPTZ), ?5, ?5)
                        ON CONFLICT (user_id) DO UPDATE SET nickname = EXCLUDED.nickname, avatar_emoji = EXCLUDED.avatar_emoji,
                            profile_changed_at = EXCLUDED.profile_changed_at, updated_at = EXCLUDED.updated_at
                        WHERE user_profiles.profile_changed_at IS NULL
                            OR user_profiles.profile_changed_at < EXCLUDED.profile_changed_at""")
                .setParameter(1, userId).setParameter(2, nickname).setParameter(3, avatarEmoji)
                .setParameter(4, changedAt == null ? null : utc(changedAt)).setParameter(5, utc(now))
                .executeUpdate() == 1;
    }

    public PlayerProfile profile(String userId) {
        return entityManager.find(PlayerProfile.class, userId);
    }

    /**
     * The player's profile, row-locked until commit (one user's answers apply one after another), created first if
     * the player has none yet. Existing players, nearly every call, cost one statement.
     */
    public PlayerProfile profileForUpdate(String userId, Instant now) {
        PlayerProfile profile = entityManager.find(PlayerProfile.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (profile == null) {
            ensureProfile(userId, now);
            profile = entityManager.find(PlayerProfile.class, userId, LockModeType.PESSIMISTIC_WRITE);
        }
        return profile;
    }

    /**
     * Records a grant from xp.granted under its grant_id, once: call it with the player's row locked.
     *
     * @return false if this grant_id was recorded before (it must not be credited again)
     */
    public boolean recordGrant(String grantId, String userId, int xp, int coins, String reason, String sourceId,
                               Instant grantedAt, Instant now) {
        return entityManager.createNativeQuery("""
                        INSERT INTO xp_grants (grant_id, user_id, xp, coins, reason, source_id, granted_at, credited_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (grant_id) DO NOTHING""")
                .setParameter(1, grantId).setParameter(2, userId).setParameter(3, xp).setParameter(4, coins)
                .setParameter(5, reason).setParameter(6, sourceId).setParameter(7, utc(grantedAt))
                .setParameter(8, utc(now)).executeUpdate() == 1;
    }

    // ------------------------------------------------------------------ draws and answers

    public void recordDraw(String drawId, String userId, String questionId, Instant now) {
        entityManager.createNativeQuery("INSERT INTO question_draws (id, user_id, question_id, drawn_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, drawId).setParameter(2, userId).setParameter(3, questionId).setParameter(4, utc(now))
                .executeUpdate();
    }

    /** The question a draw handed to a user, if the draw is theirs. */
    public Optional<String> drawnQuestion(String drawId, String userId) {
        List<?> rows = entityManager.createNativeQuery("SELECT question_id FROM question_draws WHERE id = ?1 AND user_id = ?2")
                .setParameter(1, drawId).setParameter(2, userId).getResultList();
        return firstId(rows);
    }

    /** The player's most recent draw of a question. */
    public Optional<String> latestDraw(String userId, String questionId) {
        return firstId(entityManager.createNativeQuery("SELECT id FROM question_draws WHERE user_id = ?1 "
                        + "AND question_id = ?2 ORDER BY drawn_at DESC LIMIT 1")
                .setParameter(1, userId).setParameter(2, questionId).getResultList());
    }

    /** The stored response of an attempt already answered. */
    public Optional<byte[]> answerResult(String userId, String attemptId) {
        List<?> rows = entityManager.createNativeQuery("SELECT result FROM user_answers WHERE user_id = ?1 AND attempt_id = ?2")
                .setParameter(1, userId).setParameter(2, attemptId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((byte[]) rows.get(0));
    }

    public void saveAnswer(String userId, String attemptId, String questionId, boolean correct, int xp, int coins,
                           byte[] result, Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO user_answers (user_id, attempt_id, question_id, correct, xp_earned, coins_earned, result, answered_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, userId).setParameter(2, attemptId).setParameter(3, questionId)
                .setParameter(4, correct).setParameter(5, xp).setParameter(6, coins).setParameter(7, result)
                .setParameter(8, utc(now)).executeUpdate();
    }

    /**
     * Counts an answer in its question's statistics. Call it last in the answer's transaction: the counter row stays
     * locked until commit, so pending changes are flushed first and the lock is held for the commit alone; and the
     * answer adds to one of {@link #STATS_SHARDS} rows of its question, so a popular question does not serialise
     * every answer to it on one row.
     */
    public void countInQuestionStats(String questionId, boolean correct) {
        entityManager.flush();
        entityManager.createNativeQuery("""
                        INSERT INTO question_stats (question_id, shard, total_attempts, correct_count) VALUES (?1, ?2, 1, ?3)
                        ON CONFLICT (question_id, shard) DO UPDATE SET total_attempts = question_stats.total_attempts + 1,
                            correct_count = question_stats.correct_count + EXCLUDED.correct_count""")
                .setParameter(1, questionId)
                .setParameter(2, (short) ThreadLocalRandom.current().nextInt(STATS_SHARDS))
                .setParameter(3, correct ? 1 : 0).executeUpdate();
    }

    // ------------------------------------------------------------------ statistics

    public List<QuestionStat> questionStats(Optional<String> questionId) {
        String sql = "SELECT q.id, COALESCE(SUM(s.total_attempts), 0), COALESCE(SUM(s.correct_count), 0) FROM questions q "
                + "LEFT JOIN question_stats s ON s.question_id = q.id"
                + questionId.map(id -> " WHERE q.id = ?1").orElse(" WHERE NOT q.retired") + " GROUP BY q.id ORDER BY q.id";
        var query = entityManager.createNativeQuery(sql);
        questionId.ifPresent(id -> query.setParameter(1, id));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new QuestionStat((String) r[0], ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue())).toList();
    }

    public List<Ranked> ranking(RankingOrder order, int limit) {
        @SuppressWarnings("unchecked")
        List<PlayerProfile> rows = entityManager.createNativeQuery("SELECT * FROM user_profiles ORDER BY "
                + order.orderBy + ", user_id LIMIT ?1", PlayerProfile.class).setParameter(1, limit).getResultList();
        return java.util.stream.IntStream.range(0, rows.size()).mapToObj(i -> new Ranked(i + 1, rows.get(i))).toList();
    }

    /** 1 + the number of players strictly ahead (ties share a rank). */
    public int rankOf(PlayerProfile profile, RankingOrder order) {
        var progress = profile.progress();
        var query = switch (order) {
            case TIER -> entityManager.createNativeQuery("SELECT count(*) FROM user_profiles "
                            + "WHERE tier_rank > ?1 OR (tier_rank = ?1 AND tier_xp > ?2)")
                    .setParameter(1, (short) progress.tier().ordinal()).setParameter(2, progress.tierXp());
            case CORRECT -> entityManager.createNativeQuery("SELECT count(*) FROM user_profiles WHERE correct_count > ?1")
                    .setParameter(1, profile.correctCount());
            case COINS -> entityManager.createNativeQuery("SELECT count(*) FROM user_profiles WHERE coins > ?1")
                    .setParameter(1, progress.coins());
            case ACCURACY -> entityManager.createNativeQuery("SELECT count(*) FROM user_profiles "
                            + "WHERE (CAST(correct_count AS float8) / GREATEST(total_answered, 1)) > ?1")
                    .setParameter(1, profile.correctCount() / (double) Math.max(1, profile.totalAnswered()));
        };
        return ((Number) query.getSingleResult()).intValue() + 1;
    }

    public int playerCount() {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM user_profiles").getSingleResult()).intValue();
    }
}

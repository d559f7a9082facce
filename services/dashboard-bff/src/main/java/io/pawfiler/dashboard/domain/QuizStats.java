package io.pawfiler.dashboard.domain;

import java.time.Instant;

/**
 * Quiz totals from quiz.answered: counts are sums of distinct answers (order does not matter); the current streak is
 * the streak after the newest answer, the best streak the highest ever seen.
 *
 * @param streakAt answered_at of the answer whose streak is {@code currentStreak}
 */
public record QuizStats(long answered, long correct, int currentStreak, Instant streakAt, int bestStreak,
                        Instant lastAnsweredAt) {

    public static final QuizStats NONE = new QuizStats(0, 0, 0, null, 0, null);

    /** One more answer (each answer once: the inbox drops redelivered events). */
    public QuizStats with(boolean wasCorrect, int streakAfter, Instant answeredAt) {
        boolean newest = streakAt == null || answeredAt.isAfter(streakAt);
        return new QuizStats(answered + 1, correct + (wasCorrect ? 1 : 0),
                newest ? streakAfter : currentStreak, newest ? answeredAt : streakAt,
                Math.max(bestStreak, streakAfter),
                lastAnsweredAt == null || answeredAt.isAfter(lastAnsweredAt) ? answeredAt : lastAnsweredAt);
    }

    /** 0..1; 0 when nothing was answered. */
    public double correctRate() {
        return answered == 0 ? 0 : (double) correct / answered;
    }
}

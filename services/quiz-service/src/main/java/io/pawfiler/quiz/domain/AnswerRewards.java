package io.pawfiler.quiz.domain;

/**
 * What one answer earns. A correct answer earns its difficulty's XP and coins and extends the streak; every
 * {@link #STREAK_STEP}th consecutive correct answer adds {@link #STREAK_BONUS_XP}. A wrong answer earns nothing
 * and resets the streak.
 */
public record AnswerRewards(int xp, int coins, int streakBonus, int streakAfter) {

    public static final int STREAK_STEP = 5;
    public static final int STREAK_BONUS_XP = 20;

    public static AnswerRewards of(Difficulty difficulty, boolean correct, int streakBefore) {
        if (!correct) {
            return new AnswerRewards(0, 0, 0, 0);
        }
        int streak = streakBefore + 1;
        int bonus = streak % STREAK_STEP == 0 ? STREAK_BONUS_XP : 0;
        return new AnswerRewards(difficulty.xp() + bonus, difficulty.coins(), bonus, streak);
    }
}

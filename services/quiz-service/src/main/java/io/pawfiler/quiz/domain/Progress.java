package io.pawfiler.quiz.domain;

/**
 * A player's standing: tier, XP inside the tier, lifetime XP and coins, and the streak of correct answers.
 */
public record Progress(Tier tier, int tierXp, long totalXp, long coins, int streak, int bestStreak) {

    public static final long STARTING_COINS = 500;

    public static Progress newPlayer() {
        return new Progress(Tier.EGG, 0, 0, STARTING_COINS, 0, 0);
    }

    public int level() {
        return tier.level(tierXp);
    }

    public String tierTitle() {
        return tier.title(tierXp);
    }

    /**
     * Adds XP: while the tier's threshold is reached it is subtracted and the tier goes up (several promotions can
     * happen at once). The last tier keeps accumulating.
     */
    public Grant grant(int xp, int coins) {
        Tier newTier = tier;
        int newTierXp = tierXp + xp;
        boolean promoted = false;
        while (!newTier.isLast() && newTierXp >= newTier.threshold()) {
            newTierXp -= newTier.threshold();
            newTier = newTier.next();
            promoted = true;
        }
        return new Grant(new Progress(newTier, newTierXp, totalXp + xp, this.coins + coins, streak, bestStreak),
                promoted);
    }

    public Progress withStreak(int newStreak) {
        return new Progress(tier, tierXp, totalXp, coins, newStreak, Math.max(bestStreak, newStreak));
    }

    public Progress spendCoins(long amount) {
        if (coins < amount) {
            throw new IllegalStateException("insufficient coins");
        }
        return new Progress(tier, tierXp, totalXp, coins - amount, streak, bestStreak);
    }

    /** Progress after a grant, and whether the tier went up. */
    public record Grant(Progress progress, boolean tierPromoted) {
    }
}

package io.pawfiler.dashboard.domain;

import java.time.Instant;

/**
 * Level, tier and totals as quiz-service last announced them (xp.earned carries the totals after each grant).
 *
 * @param earnedAt the announcing event's earned_at
 */
public record GameProgress(int level, String tierName, long totalXp, long totalCoins, Instant earnedAt) {

    /**
     * Which of two announcements is the later state. Lifetime XP never decreases, so the higher {@code totalXp} is
     * the later one. Order by earned_at alone would not do: a grant credited late (a first vote credited after a
     * newer quiz answer) carries the time the player acted, older than the answer, yet totals that include it.
     * Equal XP (a coins-only grant, a duplicate): the newer earned_at, then the larger coin total.
     */
    public static GameProgress later(GameProgress current, GameProgress candidate) {
        if (current == null) {
            return candidate;
        }
        if (candidate.totalXp() != current.totalXp()) {
            return candidate.totalXp() > current.totalXp() ? candidate : current;
        }
        int byTime = candidate.earnedAt().compareTo(current.earnedAt());
        if (byTime != 0) {
            return byTime > 0 ? candidate : current;
        }
        return candidate.totalCoins() > current.totalCoins() ? candidate : current;
    }
}

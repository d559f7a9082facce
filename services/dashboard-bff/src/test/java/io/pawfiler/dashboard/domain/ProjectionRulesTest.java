package io.pawfiler.dashboard.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read model's rules: whatever order events arrive in, totals never move backwards. */
class ProjectionRulesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T01:00:00Z");

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void theHighestLifetimeXpWinsInEveryOrder() {
        List<GameProgress> announcements = List.of(
                new GameProgress(1, "알", 10, 510, t(1)),
                new GameProgress(1, "알", 30, 520, t(2)),
                // a vote credited late: the player acted at t(0), its totals include everything before
                new GameProgress(2, "알", 31, 520, t(0)),
                new GameProgress(3, "삐약이", 250, 400, t(5)));
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<GameProgress> shuffled = new ArrayList<>(announcements);
            Collections.shuffle(shuffled, random);
            GameProgress kept = null;
            long highestSeen = 0;
            for (GameProgress candidate : shuffled) {
                kept = GameProgress.later(kept, candidate);
                highestSeen = Math.max(highestSeen, candidate.totalXp());
                assertEquals(highestSeen, kept.totalXp(), "never backwards, order " + shuffled);
            }
            assertEquals(new GameProgress(3, "삐약이", 250, 400, t(5)), kept, "coins follow the winner (spent ones too)");
        }
    }

    @Test
    void equalXpPrefersTheNewerAnnouncementThenMoreCoins() {
        GameProgress before = new GameProgress(2, "알", 100, 500, t(1));
        GameProgress bonusCoins = new GameProgress(2, "알", 100, 1000, t(2));
        assertSame(bonusCoins, GameProgress.later(before, bonusCoins));
        assertSame(bonusCoins, GameProgress.later(bonusCoins, before));
        GameProgress sameTimeMoreCoins = new GameProgress(2, "알", 100, 1200, t(2));
        assertSame(sameTimeMoreCoins, GameProgress.later(bonusCoins, sameTimeMoreCoins));
        assertSame(bonusCoins, GameProgress.later(bonusCoins, bonusCoins), "a duplicate changes nothing");
    }

    @Test
    void theStreakIsTheNewestAnswersAndTheBestIsTheMaxInAnyOrder() {
        record Answer(boolean correct, int streak, Instant at) {
        }
        List<Answer> answers = List.of(new Answer(true, 1, t(1)), new Answer(true, 2, t(2)), new Answer(true, 3, t(3)),
                new Answer(false, 0, t(4)), new Answer(true, 1, t(5)));
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            List<Answer> shuffled = new ArrayList<>(answers);
            Collections.shuffle(shuffled, random);
            QuizStats stats = QuizStats.NONE;
            for (Answer a : shuffled) {
                stats = stats.with(a.correct(), a.streak(), a.at());
            }
            assertEquals(5, stats.answered());
            assertEquals(4, stats.correct());
            assertEquals(1, stats.currentStreak(), "the streak after the newest answer, order " + shuffled);
            assertEquals(3, stats.bestStreak());
            assertEquals(t(5), stats.lastAnsweredAt());
            assertEquals(0.8, stats.correctRate(), 1e-9);
        }
        assertEquals(0, QuizStats.NONE.correctRate());
    }

    @Test
    void anAnalysisNeverGoesBackToUploadedWhenTheUploadArrivesLast() {
        AnalysisTask completedFirst = AnalysisTask.completed(null, "task", "u", "", "COMPLETED", "FAKE", 0.91, t(9));
        AnalysisTask thenUploaded = AnalysisTask.uploaded(completedFirst, "task", "u", "clip.mp4", t(3));
        assertEquals("COMPLETED", thenUploaded.status());
        assertEquals("FAKE", thenUploaded.verdict());
        assertEquals(0.91, thenUploaded.confidence());
        assertEquals("clip.mp4", thenUploaded.filename());
        assertEquals(t(3), thenUploaded.uploadedAt());
        assertEquals(t(9), thenUploaded.completedAt());
        assertEquals(t(3), thenUploaded.sortTime());

        AnalysisTask inOrder = AnalysisTask.completed(AnalysisTask.uploaded(null, "task", "u", "clip.mp4", t(3)),
                "task", "u", "", "COMPLETED", "FAKE", 0.91, t(9));
        assertEquals(thenUploaded, inOrder, "either order, the same task");

        AnalysisTask running = AnalysisTask.uploaded(null, "t2", "u", "a.mp4", t(1));
        assertEquals("UPLOADED", running.status());
        assertNull(running.completedAt());
        assertEquals(t(1), running.sortTime());
    }

    @Test
    void theNewestOutcomeOfATaskWinsAndFailedCarriesNoVerdict() {
        AnalysisTask failed = AnalysisTask.completed(null, "t", "u", "a.mp4", "FAILED", "REAL", 0.5, t(5));
        assertEquals("", failed.verdict());
        assertEquals(0, failed.confidence());
        AnalysisTask retried = AnalysisTask.completed(failed, "t", "u", "", "COMPLETED", "REAL", 0.1, t(8));
        assertEquals("COMPLETED", retried.status());
        assertEquals("a.mp4", retried.filename(), "a completion without a file name keeps the known one");
        assertSame(retried, AnalysisTask.completed(retried, "t", "u", "", "FAILED", "", 0, t(6)), "an older outcome loses");
    }

    @Test
    void theNewestSubscriptionChangeWinsWhicheverTopicItCameFrom() {
        Instant paidUntil = t(30 * 86_400);
        Subscription paid = Subscription.paid(null, paidUntil, "premium_monthly", t(10));
        // an expiry recorded before the payment, read after it: premium stays
        Subscription lateExpiry = Subscription.changed(paid, null, t(5));
        assertSame(paid, lateExpiry);
        assertTrue(lateExpiry.premiumAt(t(100)));
        // a refund after it takes premium away
        Subscription refunded = Subscription.changed(paid, t(20), t(20));
        assertFalse(refunded.premiumAt(t(100)));
        assertEquals("premium_monthly", refunded.planId());
        assertEquals(t(10), refunded.lastPaymentAt());
        // the payment arriving after the refund does not bring premium back, yet is the last payment seen
        Subscription reordered = Subscription.paid(Subscription.changed(null, t(20), t(20)), paidUntil, "premium_monthly", t(10));
        assertFalse(reordered.premiumAt(t(100)));
        assertEquals(t(10), reordered.lastPaymentAt());
        assertFalse(Subscription.changed(null, null, t(1)).premiumAt(t(0)));
    }

    @Test
    void theNewestProfileCardWins() {
        ProfileCard registered = new ProfileCard("탐정", "🦊", t(0));
        ProfileCard renamed = new ProfileCard("새이름", "🐶", t(20));
        ProfileCard stale = new ProfileCard("옛이름", "🐱", t(10));
        assertSame(renamed, ProfileCard.newer(ProfileCard.newer(ProfileCard.newer(null, registered), renamed), stale));
        assertSame(renamed, ProfileCard.newer(ProfileCard.newer(ProfileCard.newer(null, stale), renamed), registered));
    }
}

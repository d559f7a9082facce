package io.pawfiler.quiz.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GameRulesTest {

    private final Instant t0 = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void rewardsByDifficultyAndNothingForAWrongAnswer() {
        assertEquals(new AnswerRewards(10, 5, 0, 1), AnswerRewards.of(Difficulty.EASY, true, 0));
        assertEquals(new AnswerRewards(25, 12, 0, 1), AnswerRewards.of(Difficulty.MEDIUM, true, 0));
        assertEquals(new AnswerRewards(50, 25, 0, 1), AnswerRewards.of(Difficulty.HARD, true, 0));
        assertEquals(new AnswerRewards(0, 0, 0, 0), AnswerRewards.of(Difficulty.HARD, false, 7));
    }

    @Test
    void everyFifthConsecutiveCorrectAnswerAddsTheStreakBonus() {
        int streak = 0;
        int bonusXp = 0;
        for (int answer = 1; answer <= 10; answer++) {
            AnswerRewards rewards = AnswerRewards.of(Difficulty.EASY, true, streak);
            streak = rewards.streakAfter();
            assertEquals(answer, streak);
            assertEquals(answer % 5 == 0 ? 20 : 0, rewards.streakBonus(), "answer " + answer);
            assertEquals(10 + rewards.streakBonus(), rewards.xp());
            bonusXp += rewards.streakBonus();
        }
        assertEquals(40, bonusXp, "5th and 10th");
        // a wrong answer resets: the next bonus is five correct answers away again
        streak = AnswerRewards.of(Difficulty.EASY, false, streak).streakAfter();
        for (int answer = 1; answer <= 4; answer++) {
            AnswerRewards rewards = AnswerRewards.of(Difficulty.EASY, true, streak);
            streak = rewards.streakAfter();
            assertEquals(0, rewards.streakBonus());
        }
        assertEquals(20, AnswerRewards.of(Difficulty.EASY, true, streak).streakBonus());
    }

    @Test
    void tiersPromoteAtTheirThresholdSubtractingIt() {
        Progress.Grant grant = Progress.newPlayer().grant(999, 0);
        assertEquals(Tier.EGG, grant.progress().tier());
        assertFalse(grant.tierPromoted());
        grant = grant.progress().grant(1, 0);
        assertEquals(Tier.CHICK, grant.progress().tier());
        assertEquals(0, grant.progress().tierXp());
        assertTrue(grant.tierPromoted());
        assertEquals(1000, grant.progress().totalXp());
    }

    @Test
    void severalPromotionsCanHappenAtOnce() {
        // 1000 (알) + 2000 (삐약이) + 4000 (맹금닭) = 7000 reaches 불사조 with 50 to spare
        Progress.Grant grant = Progress.newPlayer().grant(7050, 30);
        assertEquals(Tier.PHOENIX, grant.progress().tier());
        assertEquals(50, grant.progress().tierXp());
        assertTrue(grant.tierPromoted());
        assertEquals(7050, grant.progress().totalXp());
        assertEquals(530, grant.progress().coins());
        // the last tier never promotes
        Progress.Grant beyond = grant.progress().grant(50_000, 0);
        assertEquals(Tier.PHOENIX, beyond.progress().tier());
        assertFalse(beyond.tierPromoted());
        assertEquals(50_050, beyond.progress().tierXp());
    }

    @Test
    void levelsStepByAFifthOfTheThreshold() {
        assertEquals(1, Tier.EGG.level(0));
        assertEquals(1, Tier.EGG.level(199));
        assertEquals(2, Tier.EGG.level(200));
        assertEquals(5, Tier.EGG.level(800));
        assertEquals(5, Tier.EGG.level(999));
        assertEquals(2, Tier.CHICK.level(400));
        assertEquals(3, Tier.HAWK.level(1600));
        assertEquals(1, Tier.PHOENIX.level(1999));
        assertEquals(2, Tier.PHOENIX.level(2000));
        assertEquals(3, Tier.PHOENIX.level(4000));
        assertEquals(4, Tier.PHOENIX.level(6000));
        assertEquals(5, Tier.PHOENIX.level(8000));
        assertEquals(5, Tier.PHOENIX.level(80_000));
        assertEquals("알 Lv.1", Progress.newPlayer().tierTitle());
        assertEquals("불사조 Lv.3", Tier.PHOENIX.title(4500));
    }

    @Test
    void newPlayersStartWith500CoinsFullEnergyAndTheEggTier() {
        Progress progress = Progress.newPlayer();
        assertEquals(500, progress.coins());
        assertEquals(Tier.EGG, progress.tier());
        Energy energy = Energy.full(t0);
        assertEquals(100, energy.current());
        assertEquals(100, energy.max());
    }

    @Test
    void energyRefillsTenPerFullThreeHoursAndCarriesPartialIntervalsOver() {
        Energy energy = new Energy(40, 100, t0);
        assertEquals(40, energy.refilledAt(t0.plus(Duration.ofMinutes(179))).current());
        Energy afterSevenHours = energy.refilledAt(t0.plus(Duration.ofHours(7)));
        assertEquals(60, afterSevenHours.current());
        // the 1 h beyond two full intervals is kept: two more hours give the next 10
        assertEquals(t0.plus(Duration.ofHours(6)), afterSevenHours.refilledAt());
        assertEquals(60, afterSevenHours.refilledAt(t0.plus(Duration.ofHours(8).plusMinutes(59))).current());
        assertEquals(70, afterSevenHours.refilledAt(t0.plus(Duration.ofHours(9))).current());
    }

    @Test
    void energyNeverExceedsTheMaximumAndNothingIsBankedWhileFull() {
        Energy energy = new Energy(95, 100, t0).refilledAt(t0.plus(Duration.ofDays(3)));
        assertEquals(100, energy.current());
        Energy spent = energy.spend(t0.plus(Duration.ofDays(3)));
        assertEquals(95, spent.current());
        // spending from full starts the clock then, not three days ago
        assertEquals(95, spent.refilledAt(t0.plus(Duration.ofDays(3)).plus(Duration.ofHours(2))).current());
        assertEquals(100, spent.refilledAt(t0.plus(Duration.ofDays(3)).plus(Duration.ofHours(3))).current());
    }

    @Test
    void anAnswerCostsFiveAndNeedsFive() {
        Energy energy = new Energy(5, 100, t0);
        assertTrue(energy.canAfford());
        Energy empty = energy.spend(t0);
        assertEquals(0, empty.current());
        assertFalse(empty.canAfford());
        assertThrows(IllegalStateException.class, () -> empty.spend(t0));
        assertFalse(new Energy(4, 100, t0).canAfford());
    }

    @Test
    void answersAreCheckedPerQuestionType() {
        Question choice = question(QuestionType.MULTIPLE_CHOICE);
        assertTrue(choice.isCorrect(new Question.Submission(2, null, null, null, null)));
        assertFalse(choice.isCorrect(new Question.Submission(0, null, null, null, null)));
        assertField("selected_index", () -> choice.isCorrect(new Question.Submission(3, null, null, null, null)));
        assertField("selected_index", () -> choice.isCorrect(new Question.Submission(null, null, null, null, null)));

        Question trueFalse = question(QuestionType.TRUE_FALSE);
        assertTrue(trueFalse.isCorrect(new Question.Submission(null, false, null, null, null)));
        assertFalse(trueFalse.isCorrect(new Question.Submission(null, true, null, null, null)));
        assertField("selected_answer", () -> trueFalse.isCorrect(new Question.Submission(null, null, null, null, null)));

        Question region = question(QuestionType.REGION_SELECT);
        assertTrue(region.isCorrect(new Question.Submission(null, null, 100.0, 100.0, null)), "centre");
        assertTrue(region.isCorrect(new Question.Submission(null, null, 125.0, 100.0, null)), "radius 20 + tolerance 5");
        assertFalse(region.isCorrect(new Question.Submission(null, null, 126.0, 100.0, null)));
        assertTrue(region.isCorrect(new Question.Submission(null, null, 300.0, 310.0, null)), "second region");
        assertField("selected_region", () -> region.isCorrect(new Question.Submission(null, null, null, null, null)));

        Question comparison = question(QuestionType.COMPARISON);
        assertTrue(comparison.isCorrect(new Question.Submission(null, null, null, null, "Right")));
        assertFalse(comparison.isCorrect(new Question.Submission(null, null, null, null, "left")));
        assertField("selected_side", () -> comparison.isCorrect(new Question.Submission(null, null, null, null, "up")));
    }

    private static Question question(QuestionType type) {
        return new Question("q", type, "IMAGE", "https://cdn.pawfiler.io/q.jpg", "🤖", Difficulty.EASY, "face",
                "why", List.of("a", "b", "c"), 2, false,
                List.of(new Region(100, 100, 20), new Region(300, 300, 15)), 5, "https://cdn.pawfiler.io/r.jpg",
                "right");
    }

    private static void assertField(String field, Runnable check) {
        ApiException e = assertThrows(ApiException.class, check::run);
        assertEquals(field, e.field().orElse(null));
    }
}

package io.pawfiler.dashboard.domain;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DailyQuestsTest {

    @Test
    void aDayWithoutEventsHasEveryQuestAtZero() {
        List<DailyQuests.Progress> progress = DailyQuests.progress(Map.of());
        assertEquals(List.of("quiz_correct_3", "analysis_1", "vote_2"), progress.stream().map(p -> p.quest().id()).toList());
        progress.forEach(p -> {
            assertEquals(0, p.progress());
            assertFalse(p.completed());
            assertTrue(p.quest().rewardXp() > 0);
        });
        assertTrue(DailyQuests.completed(Map.of()).isEmpty());
    }

    @Test
    void progressCountsTodaysMetricAndStopsAtTheTarget() {
        Map<Metric, Long> today = new EnumMap<>(Metric.class);
        today.put(Metric.QUIZ_CORRECT, 2L);
        today.put(Metric.QUIZ_ANSWERED, 9L);  // wrong answers do not count
        today.put(Metric.POSTS_VOTED, 5L);
        today.put(Metric.XP, 1_000L);
        List<DailyQuests.Progress> progress = DailyQuests.progress(today);
        assertEquals(2, progress.get(0).progress());
        assertFalse(progress.get(0).completed());
        assertEquals(0, progress.get(1).progress());
        assertEquals(2, progress.get(2).progress(), "capped at the target");
        assertTrue(progress.get(2).completed());
        assertEquals(List.of("vote_2"), DailyQuests.completed(today).stream().map(DailyQuests.Quest::id).toList());

        today.put(Metric.QUIZ_CORRECT, 3L);
        today.put(Metric.ANALYSES_COMPLETED, 1L);
        assertEquals(3, DailyQuests.completed(today).size());
    }

    @Test
    void noQuestCountsXpSoARewardNeverCompletesAnother() {
        DailyQuests.ALL.forEach(q -> assertTrue(q.metric() != Metric.XP, q.id()));
    }

    @Test
    void theGrantIdIsUniquePerQuestDayAndUser() {
        DailyQuests.Quest quiz = DailyQuests.ALL.get(0);
        assertEquals("dashboard.quest:quiz_correct_3:2026-03-01:user-1",
                DailyQuests.grantId(quiz, LocalDate.of(2026, 3, 1), "user-1"));
        assertFalse(DailyQuests.grantId(quiz, LocalDate.of(2026, 3, 2), "user-1")
                .equals(DailyQuests.grantId(quiz, LocalDate.of(2026, 3, 1), "user-1")));
        // quiz-service accepts grant ids up to 200 characters; user ids are at most 64
        assertTrue(DailyQuests.grantId(quiz, LocalDate.of(2026, 3, 1), "u".repeat(64)).length() <= 200);
    }
}

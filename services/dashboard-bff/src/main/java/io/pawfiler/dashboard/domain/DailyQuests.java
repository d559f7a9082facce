package io.pawfiler.dashboard.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The daily quests: what they ask, what they pay, and how far a user is today. Progress is today's count of the
 * quest's metric (see {@link Metric}), so a new day starts every quest over.
 *
 * <p>Completing a quest grants its reward once per user, quest and day: the dashboard records the grant and
 * publishes {@code xp.granted} with {@link #grantId}, which quiz-service (the owner of XP and coins) credits once
 * per grant id however often it is delivered. No quest counts XP, so a reward can never complete another quest.
 */
public final class DailyQuests {

    /** Prefix of grant ids and the reason quiz-service copies to xp.earned. */
    public static final String REASON = "dashboard.quest";

    /** One quest: a target count of one metric today, and its reward. */
    public record Quest(String id, String title, String icon, Metric metric, int target, int rewardXp, int rewardCoins) {
    }

    /** A quest as a user stands today. */
    public record Progress(Quest quest, int progress, boolean completed) {
    }

    public static final List<Quest> ALL = List.of(
            new Quest("quiz_correct_3", "퀴즈 3문제 맞히기", "🎯", Metric.QUIZ_CORRECT, 3, 30, 10),
            new Quest("analysis_1", "영상 1개 분석하기", "🔍", Metric.ANALYSES_COMPLETED, 1, 20, 10),
            new Quest("vote_2", "게시글 2개에 투표하기", "🗳️", Metric.POSTS_VOTED, 2, 10, 5));

    private DailyQuests() {
    }

    /** Every quest with its progress from today's tallies (missing metrics count 0). */
    public static List<Progress> progress(Map<Metric, Long> today) {
        return ALL.stream().map(quest -> {
            long done = Math.max(0, today.getOrDefault(quest.metric(), 0L));
            return new Progress(quest, (int) Math.min(done, quest.target()), done >= quest.target());
        }).toList();
    }

    /** The quests a day's tallies complete (the reward of each is due once for that day). */
    public static List<Quest> completed(Map<Metric, Long> day) {
        return progress(day).stream().filter(Progress::completed).map(Progress::quest).toList();
    }

    /** The idempotency key of a quest's reward: {@code dashboard.quest:<quest>:<yyyy-mm-dd>:<user>}. */
    public static String grantId(Quest quest, LocalDate day, String userId) {
        return REASON + ":" + quest.id() + ":" + day + ":" + userId;
    }
}

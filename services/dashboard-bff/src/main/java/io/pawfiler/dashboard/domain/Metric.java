package io.pawfiler.dashboard.domain;

/**
 * What is counted per user and day (in the configured time zone): sums of distinct events, so the order in which
 * events arrive does not matter. Daily quests and "XP today" read these.
 */
public enum Metric {
    /** XP of xp.earned events. */
    XP,
    QUIZ_ANSWERED,
    QUIZ_CORRECT,
    VIDEOS_UPLOADED,
    /** analysis.completed with status COMPLETED (a FAILED analysis did not analyse anything). */
    ANALYSES_COMPLETED,
    POSTS_CREATED,
    COMMENTS_CREATED,
    POSTS_VOTED,
    POSTS_LIKED
}

package io.pawfiler.dashboard.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One line of the activity feed.
 *
 * @param id         the id of the event it came from (stable, a list key)
 * @param occurredAt truncated to microseconds, PostgreSQL's precision, so a page token holds exactly the stored value
 */
public record Activity(String id, String userId, Kind kind, String title, String icon, int xp, int coins,
                       Instant occurredAt, String refId) {

    /** What happened; the API maps each to an {@code ActivityType} of the same name. */
    public enum Kind {
        SIGNED_UP, PROFILE_CHANGED, QUIZ_ANSWERED, TIER_PROMOTED, XP_GRANTED, VIDEO_UPLOADED, ANALYSIS_COMPLETED,
        PAYMENT_COMPLETED, PREMIUM_CHANGED, POST_CREATED, POST_DELETED, COMMENT_CREATED, COMMENT_DELETED,
        POST_LIKED, POST_UNLIKED, POST_VOTED
    }

    public Activity {
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }
}

package io.pawfiler.dashboard.domain;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedCursorTest {

    @Test
    void aTokenGivesBackItsCursor() {
        FeedCursor cursor = new FeedCursor(Instant.parse("2026-03-01T01:02:03.123456Z"), "8b0c-id:with:colons");
        assertEquals(Optional.of(cursor), FeedCursor.parse(cursor.token()));
        assertTrue(cursor.token().matches("[A-Za-z0-9_-]+"), "URL-safe");
    }

    @Test
    void anythingElseIsNoCursor() {
        for (String bad : new String[] {"nope", "!!!", "YTE6eDox", "", "YTI6MTowOmlk"}) {
            assertTrue(FeedCursor.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void activitiesKeepMicrosecondsAsPostgresDoes() {
        Activity a = new Activity("id", "u", Activity.Kind.POST_VOTED, "t", "i", 0, 0,
                Instant.parse("2026-03-01T01:02:03.123456789Z"), "");
        assertEquals(Instant.parse("2026-03-01T01:02:03.123456Z"), a.occurredAt());
    }
}

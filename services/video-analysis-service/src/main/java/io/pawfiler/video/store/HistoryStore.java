package io.pawfiler.video.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import static io.pawfiler.platform.db.SqlTimes.instant;

/** A user's tasks with their results, newest first, by keyset (no OFFSET: page 100 costs what page 1 does). */
@ApplicationScoped
public class HistoryStore {

    /** One task and, when it completed, its result. */
    public record Entry(String taskId, String filename, String stage, Instant createdAt, String verdict,
                        Double fakeScore, String modelVersion) {
    }

    @Inject
    EntityManager entityManager;

    /**
     * @param beforeCreatedAt with {@code beforeId}: the last entry of the previous page; null for the first page
     */
    public List<Entry> page(String userId, Instant beforeCreatedAt, String beforeId, int limit) {
        boolean first = beforeCreatedAt == null;
        // positional parameters numbered without gaps on either page
        var query = entityManager.createNativeQuery("SELECT t.id, t.filename, t.stage, t.created_at, r.verdict, "
                        + "r.fake_score, r.model_version "
                        + "FROM analysis_tasks t LEFT JOIN analysis_results r ON r.task_id = t.id WHERE t.user_id = ?1"
                        + (first ? " ORDER BY t.created_at DESC, t.id DESC LIMIT ?2"
                                 : " AND (t.created_at, t.id) < (?2, ?3) ORDER BY t.created_at DESC, t.id DESC LIMIT ?4"))
                .setParameter(1, userId);
        if (first) {
            query.setParameter(2, limit);
        } else {
            query.setParameter(2, beforeCreatedAt.atOffset(ZoneOffset.UTC)).setParameter(3, beforeId)
                    .setParameter(4, limit);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new Entry((String) r[0], (String) r[1], (String) r[2], instant(r[3]),
                (String) r[4], r[5] == null ? null : ((Number) r[5]).doubleValue(), (String) r[6])).toList();
    }
}

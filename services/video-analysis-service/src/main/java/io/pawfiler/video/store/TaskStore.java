package io.pawfiler.video.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import static io.pawfiler.platform.db.SqlTimes.instant;
import static io.pawfiler.platform.db.SqlTimes.utc;

/** Analysis tasks, their log and their results (native SQL over three small tables). Callers bring the transaction. */
@ApplicationScoped
public class TaskStore {

    /** A task row. */
    public record Task(String id, String userId, String sha256, String filename, String contentType, long sizeBytes,
                       String stage, int attempts, String failureReason) {
        public boolean finished() {
            return "COMPLETED".equals(stage) || "FAILED".equals(stage);
        }

        public String storageKey() {
            return sha256.substring(0, 2) + "/" + sha256;
        }
    }

    /** A log line. */
    public record LogLine(String stage, String level, String message, Instant at) {
    }

    @Inject
    EntityManager entityManager;

    public void create(Task task, Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO analysis_tasks (id, user_id, video_sha256, filename, content_type, size_bytes, stage,
                                                    attempts, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8)""")
                .setParameter(1, task.id()).setParameter(2, task.userId()).setParameter(3, task.sha256())
                .setParameter(4, task.filename()).setParameter(5, task.contentType()).setParameter(6, task.sizeBytes())
                .setParameter(7, task.stage()).setParameter(8, utc(now)).executeUpdate();
    }

    public Optional<Task> find(String id, boolean forUpdate) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("SELECT id, user_id, video_sha256, filename, content_type, "
                        + "size_bytes, stage, attempts, failure_reason FROM analysis_tasks WHERE id = ?1"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(r -> new Task((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], ((Number) r[5]).longValue(), (String) r[6], ((Number) r[7]).intValue(), (String) r[8]));
    }

    public long pending() {
        return ((Number) entityManager.createNativeQuery(
                "SELECT count(*) FROM analysis_tasks WHERE stage NOT IN ('COMPLETED', 'FAILED')").getSingleResult()).longValue();
    }

    public void setStage(String id, String stage, String failureReason, boolean countAttempt, Instant now) {
        entityManager.createNativeQuery("UPDATE analysis_tasks SET stage = ?2, failure_reason = ?3, updated_at = ?4, "
                        + "attempts = attempts + ?5 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, stage).setParameter(3, failureReason == null ? "" : failureReason)
                .setParameter(4, utc(now)).setParameter(5, countAttempt ? 1 : 0).executeUpdate();
    }

    public void log(String taskId, String stage, String level, String message, Instant now) {
        entityManager.createNativeQuery("INSERT INTO analysis_logs (task_id, stage, level, message, at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, taskId).setParameter(2, stage).setParameter(3, level).setParameter(4, message)
                .setParameter(5, utc(now)).executeUpdate();
    }

    public List<LogLine> logs(String taskId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("SELECT stage, level, message, at FROM analysis_logs "
                        + "WHERE task_id = ?1 ORDER BY id")
                .setParameter(1, taskId).getResultList();
        return rows.stream().map(r -> new LogLine((String) r[0], (String) r[1], (String) r[2], instant(r[3]))).toList();
    }

    public void saveResult(String taskId, String verdict, Double fakeScore, int faces, String modelVersion, byte[] report,
                           Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO analysis_results (task_id, verdict, fake_score, faces_found, model_version, report, completed_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, taskId).setParameter(2, verdict).setParameter(3, fakeScore == null ? -1.0 : fakeScore)
                .setParameter(4, faces).setParameter(5, modelVersion).setParameter(6, report).setParameter(7, utc(now))
                .executeUpdate();
    }

    public Optional<byte[]> report(String taskId) {
        List<?> rows = entityManager.createNativeQuery("SELECT report FROM analysis_results WHERE task_id = ?1")
                .setParameter(1, taskId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((byte[]) rows.get(0));
    }
}

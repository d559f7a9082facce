package io.pawfiler.video.store;

import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Per-user, per-month analysis counters and the charge each task carries. Callers bring the transaction. */
@ApplicationScoped
public class QuotaStore {

    @Inject
    EntityManager entityManager;

    /**
     * Takes one unit if fewer than {@code limit} are used. One statement: the row lock of the upsert orders
     * concurrent reservations, and the guard makes the one that would pass the limit update nothing.
     *
     * @return whether a unit was taken
     */
    public boolean reserve(String userId, LocalDate period, int limit) {
        if (limit <= 0) {
            return false;
        }
        return entityManager.createNativeQuery("""
                        INSERT INTO analysis_quota (user_id, period, used) VALUES (?1, ?2, 1)
                        ON CONFLICT (user_id, period) DO UPDATE SET used = analysis_quota.used + 1
                        WHERE analysis_quota.used < ?3""")
                .setParameter(1, userId).setParameter(2, period).setParameter(3, limit).executeUpdate() == 1;
    }

    /**
     * Gives back a unit that was reserved but never became a task. A counter back at 0 goes with its row, so a
     * refused upload leaves the table as it found it (a missing row reads as 0; a reservation racing this one
     * re-inserts it).
     */
    public void release(String userId, LocalDate period) {
        entityManager.createNativeQuery("UPDATE analysis_quota SET used = used - 1 "
                        + "WHERE user_id = ?1 AND period = ?2 AND used > 0")
                .setParameter(1, userId).setParameter(2, period).executeUpdate();
        dropIfUnused(userId, period);
    }

    private void dropIfUnused(String userId, LocalDate period) {
        entityManager.createNativeQuery("DELETE FROM analysis_quota WHERE user_id = ?1 AND period = ?2 AND used = 0")
                .setParameter(1, userId).setParameter(2, period).executeUpdate();
    }

    /** Records that task {@code taskId} used the unit reserved for it. */
    public void charge(String taskId, String userId, LocalDate period) {
        entityManager.createNativeQuery("INSERT INTO quota_charges (task_id, user_id, period) VALUES (?1, ?2, ?3)")
                .setParameter(1, taskId).setParameter(2, userId).setParameter(3, period).executeUpdate();
    }

    /** Gives a task's unit back (to the month it was charged to). Idempotent: the charge row goes with it. */
    public void refund(String taskId) {
        entityManager.createNativeQuery("""
                        WITH refunded AS (DELETE FROM quota_charges WHERE task_id = ?1 RETURNING user_id, period)
                        UPDATE analysis_quota q SET used = q.used - 1 FROM refunded r
                        WHERE q.user_id = r.user_id AND q.period = r.period AND q.used > 0""")
                .setParameter(1, taskId).executeUpdate();
    }

    public int used(String userId, LocalDate period) {
        List<?> rows = entityManager.createNativeQuery("SELECT used FROM analysis_quota WHERE user_id = ?1 AND period = ?2")
                .setParameter(1, userId).setParameter(2, period).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }
}

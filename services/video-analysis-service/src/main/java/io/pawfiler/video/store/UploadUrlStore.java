package io.pawfiler.video.store;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Claims on signed upload URLs (one upload each). Each call commits on its own: a claim must be visible to a
 * concurrent second upload before the first one's bytes are read.
 */
@ApplicationScoped
public class UploadUrlStore {

    @Inject
    EntityManager entityManager;

    /** @return false when the URL's task id was claimed already (an upload went, or is going, through it) */
    @Transactional
    public boolean claim(String taskId, String userId, Instant now) {
        return entityManager.createNativeQuery("INSERT INTO upload_url_claims (task_id, user_id, claimed_at) "
                        + "VALUES (?1, ?2, ?3) ON CONFLICT (task_id) DO NOTHING")
                .setParameter(1, taskId).setParameter(2, userId).setParameter(3, now.atOffset(ZoneOffset.UTC))
                .executeUpdate() == 1;
    }

    @Transactional
    public void unclaim(String taskId) {
        entityManager.createNativeQuery("DELETE FROM upload_url_claims WHERE task_id = ?1")
                .setParameter(1, taskId).executeUpdate();
    }
}

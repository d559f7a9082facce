package io.pawfiler.auth.store;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import static io.pawfiler.auth.store.User.utc;

/** Refresh-token sessions. Callers bring the transaction. */
@ApplicationScoped
public class SessionStore {

    @Inject
    EntityManager entityManager;

    public void add(Session session) {
        entityManager.persist(session);
    }

    /** The session of a presented token, row-locked so two refreshes with one token cannot both rotate it. */
    public Optional<Session> byTokenHashForUpdate(String tokenHash) {
        return entityManager.createQuery("SELECT s FROM Session s WHERE s.tokenHash = :hash", Session.class)
                .setParameter("hash", tokenHash)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    /** @return how many still-usable tokens of the family were revoked */
    public int revokeFamily(String familyId, Instant now) {
        return revoke("s.familyId = :owner", familyId, now);
    }

    /** @return how many still-usable tokens of the user were revoked */
    public int revokeAllOf(String userId, Instant now) {
        return revoke("s.userId = :owner", userId, now);
    }

    /** Marks every unrevoked token matched revoked; counts those that could still have been used. */
    private int revoke(String ownerCondition, String owner, Instant now) {
        int usable = entityManager.createQuery("SELECT COUNT(s) FROM Session s WHERE " + ownerCondition
                        + " AND s.revokedAt IS NULL AND s.usedAt IS NULL AND s.expiresAt > :now", Long.class)
                .setParameter("owner", owner)
                .setParameter("now", utc(now))
                .getSingleResult().intValue();
        entityManager.createQuery("UPDATE Session s SET s.revokedAt = :now WHERE " + ownerCondition
                        + " AND s.revokedAt IS NULL")
                .setParameter("owner", owner)
                .setParameter("now", utc(now))
                .executeUpdate();
        return usable;
    }

    /** Rows whose token expired long ago serve no purpose, not even reuse detection. */
    public int purgeExpiredBefore(Instant cutoff) {
        return entityManager.createQuery("DELETE FROM Session s WHERE s.expiresAt < :cutoff")
                .setParameter("cutoff", utc(cutoff))
                .executeUpdate();
    }
}

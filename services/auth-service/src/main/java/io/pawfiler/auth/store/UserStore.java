package io.pawfiler.auth.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** Accounts by id and by normalised email. Callers bring the transaction. */
@ApplicationScoped
public class UserStore {

    @Inject
    EntityManager entityManager;

    public Optional<User> byId(String id) {
        return Optional.ofNullable(entityManager.find(User.class, id));
    }

    /** Locks the row: concurrent premium updates and profile edits of one user apply one after the other. */
    public Optional<User> byIdForUpdate(String id) {
        return Optional.ofNullable(entityManager.find(User.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<User> byEmail(String normalisedEmail) {
        return entityManager.createQuery("SELECT u FROM User u WHERE u.email = :email", User.class)
                .setParameter("email", normalisedEmail)
                .getResultStream().findFirst();
    }

    public boolean adminExists() {
        return !entityManager.createQuery("SELECT u.id FROM User u WHERE u.admin = TRUE", String.class)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * Inserts unless the email is taken. {@code ON CONFLICT DO NOTHING} settles a race between two signups for one
     * email inside the database, without an exception that would doom the caller's transaction.
     *
     * @return false when the email already belongs to an account
     */
    public boolean insertIfEmailFree(User user) {
        int inserted = entityManager.createNativeQuery("""
                        INSERT INTO users (id, email, password_hash, nickname, avatar_emoji, is_admin, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                        ON CONFLICT (email) DO NOTHING""")
                .setParameter(1, user.id())
                .setParameter(2, user.email())
                .setParameter(3, user.passwordHash())
                .setParameter(4, user.nickname())
                .setParameter(5, user.avatarEmoji())
                .setParameter(6, user.admin())
                .setParameter(7, User.utc(user.createdAt()))
                .setParameter(8, User.utc(user.createdAt()))
                .executeUpdate();
        return inserted == 1;
    }
}

package io.pawfiler.auth.store;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Signing keys. Callers bring the transaction. */
@ApplicationScoped
public class SigningKeyStore {

    @Inject
    EntityManager entityManager;

    /**
     * All keys, after taking a table lock that serialises key maintenance between service instances
     * (two instances starting at once must not both create a first key). Readers of the table are not blocked.
     */
    public List<SigningKey> lockAll() {
        entityManager.createNativeQuery("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE").executeUpdate();
        return all();
    }

    public List<SigningKey> all() {
        return entityManager.createQuery("SELECT k FROM SigningKey k ORDER BY k.createdAt", SigningKey.class)
                .getResultList();
    }

    public void add(SigningKey key) {
        entityManager.persist(key);
    }
}

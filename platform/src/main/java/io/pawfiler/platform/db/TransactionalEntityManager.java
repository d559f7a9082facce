package io.pawfiler.platform.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The one container-managed {@link EntityManager} every bean uses: inject it with {@code @Inject EntityManager},
 * never with {@code @PersistenceContext}.
 * <p>
 * Why: Helidon 4.1.2 produces a separate JTA entity manager for each {@code @PersistenceContext} injection point
 * created on a different thread, and keys the transaction's persistence context by that instance. Two beans
 * (a store and the outbox, say) working in one transaction would then write through two persistence contexts and
 * two database connections: a row one inserted is invisible to the other (foreign keys fail, row locks deadlock)
 * and the two commits are not one atomic commit. Handing every bean this single instance gives each transaction
 * one persistence context and one connection.
 */
@ApplicationScoped
public class TransactionalEntityManager {

    @PersistenceContext
    EntityManager entityManager;

    @Produces
    EntityManager entityManager() {
        return entityManager;
    }
}

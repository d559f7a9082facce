package io.pawfiler.platform.outbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The relay's queries on the outbox table, each in a short transaction of its own. */
@ApplicationScoped
class OutboxStore {

    @Inject
    EntityManager entityManager;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<OutboxMessage> pending(int limit) {
        return entityManager.createQuery(
                        "SELECT m FROM OutboxMessage m WHERE m.publishedAt IS NULL ORDER BY m.id", OutboxMessage.class)
                .setMaxResults(limit)
                .getResultList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void markPublished(List<Long> ids, Instant when) {
        if (ids.isEmpty()) {
            return;
        }
        entityManager.createQuery("UPDATE OutboxMessage m SET m.publishedAt = :when WHERE m.id IN :ids")
                .setParameter("when", when.atOffset(ZoneOffset.UTC))
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /** Housekeeping: published rows are kept a while for audit and replay, then removed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int deletePublishedBefore(Instant cutoff) {
        return entityManager.createQuery("DELETE FROM OutboxMessage m WHERE m.publishedAt < :cutoff")
                .setParameter("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .executeUpdate();
    }
}

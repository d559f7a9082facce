package io.pawfiler.payment.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.domain.SubscriptionTerms;
import io.pawfiler.platform.db.SqlTimes;

import static io.pawfiler.platform.db.SqlTimes.instant;
import static io.pawfiler.platform.db.SqlTimes.utc;

/** Plans, transactions, subscriptions and webhook deliveries, in plain SQL. Callers bring the transaction. */
@ApplicationScoped
public class PaymentStore {

    /** A transaction row. */
    public record TransactionRow(String id, String userId, String planId, long amount, String currency,
                                 PaymentStatus status, String provider, String providerPaymentKey,
                                 String idempotencyKey, String failureReason, Instant createdAt, Instant expiresAt,
                                 Optional<Instant> completedAt, Optional<Instant> refundedAt) {
    }

    /** A subscription row. */
    public record SubscriptionRow(String id, String userId, SubscriptionTerms.Terms terms) {
    }

    private static final String TRANSACTION_COLUMNS = "id, user_id, plan_id, amount, currency, status, provider, "
            + "provider_payment_key, idempotency_key, failure_reason, created_at, expires_at, completed_at, refunded_at";
    private static final String SUBSCRIPTION_COLUMNS =
            "id, user_id, plan_id, status, started_at, expires_at, auto_renew, canceled_at";

    @Inject
    EntityManager entityManager;

    // ------------------------------------------------------------------ plans

    public List<Plan> plans() {
        List<?> rows = entityManager.createNativeQuery("SELECT id, name, amount, currency, billing_period, duration_days, "
                + "bonus_coins, array_to_string(features, chr(31)) FROM plans WHERE active ORDER BY sort_order, id")
                .getResultList();
        return rows.stream().map(r -> plan((Object[]) r)).toList();
    }

    public Optional<Plan> plan(String id) {
        List<?> rows = entityManager.createNativeQuery("SELECT id, name, amount, currency, billing_period, duration_days, "
                + "bonus_coins, array_to_string(features, chr(31)) FROM plans WHERE id = ?1").setParameter(1, id)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(plan((Object[]) rows.get(0)));
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Opens a PENDING transaction unless the user already has one with this idempotency key (then nothing is
     * written): concurrent checkouts with one key meet on the unique constraint and all read the same row.
     */
    public TransactionRow openTransaction(String id, String userId, Plan plan, String provider, String idempotencyKey,
                                          Instant now, Instant expiresAt) {
        entityManager.createNativeQuery("""
                        INSERT INTO transactions (id, user_id, plan_id, amount, currency, status, provider, idempotency_key,
                                                  created_at, expires_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING', ?6, ?7, ?8, ?9, ?8)
                        ON CONFLICT (user_id, idempotency_key) DO NOTHING""")
                .setParameter(1, id).setParameter(2, userId).setParameter(3, plan.id()).setParameter(4, plan.amount())
                .setParameter(5, plan.currency()).setParameter(6, provider).setParameter(7, idempotencyKey)
                .setParameter(8, utc(now)).setParameter(9, utc(expiresAt)).executeUpdate();
        List<?> rows = entityManager.createNativeQuery("SELECT " + TRANSACTION_COLUMNS
                        + " FROM transactions WHERE user_id = ?1 AND idempotency_key = ?2")
                .setParameter(1, userId).setParameter(2, idempotencyKey).getResultList();
        return transaction((Object[]) rows.get(0));
    }

    public Optional<TransactionRow> transaction(String id) {
        return firstTransaction(entityManager.createNativeQuery("SELECT " + TRANSACTION_COLUMNS
                + " FROM transactions WHERE id = ?1").setParameter(1, id).getResultList());
    }

    /** Row-locked until commit: every status change of one transaction happens one at a time. */
    public Optional<TransactionRow> lockTransaction(String id) {
        return firstTransaction(entityManager.createNativeQuery("SELECT " + TRANSACTION_COLUMNS
                + " FROM transactions WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList());
    }

    public void updateTransaction(String id, PaymentStatus status, String providerPaymentKey, String failureReason,
                                  Optional<Instant> completedAt, Optional<Instant> refundedAt, Instant now) {
        entityManager.createNativeQuery("""
                        UPDATE transactions SET status = ?2, provider_payment_key = COALESCE(?3, provider_payment_key),
                            failure_reason = ?4, completed_at = COALESCE(CAST(?5 AS timestamptz), completed_at),
                            refunded_at = COALESCE(CAST(?6 AS timestamptz), refunded_at), updated_at = ?7
                        WHERE id = ?1""")
                .setParameter(1, id).setParameter(2, status.name()).setParameter(3, providerPaymentKey)
                .setParameter(4, failureReason).setParameter(5, completedAt.map(SqlTimes::utc).orElse(null))
                .setParameter(6, refundedAt.map(SqlTimes::utc).orElse(null)).setParameter(7, utc(now))
                .executeUpdate();
    }

    /** The user's transactions, newest first, after a (created_at, id) cursor. */
    public List<TransactionRow> transactions(String userId, Optional<Instant> beforeCreatedAt, Optional<String> beforeId,
                                             int limit) {
        var query = entityManager.createNativeQuery("SELECT " + TRANSACTION_COLUMNS + " FROM transactions WHERE user_id = ?1"
                        + (beforeCreatedAt.isPresent() ? " AND (created_at, id) < (?2, ?3)" : "")
                        + " ORDER BY created_at DESC, id DESC LIMIT ?4")
                .setParameter(1, userId).setParameter(4, limit);
        beforeCreatedAt.ifPresent(at -> query.setParameter(2, utc(at)).setParameter(3, beforeId.orElse("")));
        return ((List<?>) query.getResultList()).stream().map(r -> transaction((Object[]) r)).toList();
    }

    /** PENDING checkouts past their expiry, oldest first (each is then settled under its own row lock). */
    public List<String> stalePending(Instant now, int limit) {
        List<?> rows = entityManager.createNativeQuery("SELECT id FROM transactions WHERE status = 'PENDING' AND expires_at < ?1"
                        + " ORDER BY expires_at LIMIT ?2")
                .setParameter(1, utc(now)).setParameter(2, limit).getResultList();
        return rows.stream().map(String.class::cast).toList();
    }

    // ------------------------------------------------------------------ subscriptions

    public Optional<SubscriptionRow> subscription(String userId) {
        return firstSubscription(entityManager.createNativeQuery("SELECT " + SUBSCRIPTION_COLUMNS
                + " FROM subscriptions WHERE user_id = ?1").setParameter(1, userId).getResultList());
    }

    public Optional<SubscriptionRow> lockSubscription(String userId) {
        return firstSubscription(entityManager.createNativeQuery("SELECT " + SUBSCRIPTION_COLUMNS
                + " FROM subscriptions WHERE user_id = ?1 FOR UPDATE").setParameter(1, userId).getResultList());
    }

    /** Writes the user's one subscription (inserting it the first time). */
    public SubscriptionRow saveSubscription(String newId, String userId, SubscriptionTerms.Terms terms, Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO subscriptions (id, user_id, plan_id, status, started_at, expires_at, auto_renew, canceled_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS timestamptz), ?9)
                        ON CONFLICT (user_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, status = EXCLUDED.status,
                            started_at = EXCLUDED.started_at, expires_at = EXCLUDED.expires_at, auto_renew = EXCLUDED.auto_renew,
                            canceled_at = EXCLUDED.canceled_at, updated_at = EXCLUDED.updated_at""")
                .setParameter(1, newId).setParameter(2, userId).setParameter(3, terms.planId())
                .setParameter(4, terms.status().name()).setParameter(5, utc(terms.startedAt()))
                .setParameter(6, utc(terms.expiresAt())).setParameter(7, terms.autoRenew())
                .setParameter(8, terms.canceledAt().map(SqlTimes::utc).orElse(null)).setParameter(9, utc(now))
                .executeUpdate();
        return lockSubscription(userId).orElseThrow();
    }

    /** Users whose paid period ended but whose subscription is not EXPIRED yet. */
    public List<String> endedSubscriptions(Instant now, int limit) {
        List<?> rows = entityManager.createNativeQuery("SELECT user_id FROM subscriptions WHERE status IN ('ACTIVE', 'CANCELED')"
                        + " AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2")
                .setParameter(1, utc(now)).setParameter(2, limit).getResultList();
        return rows.stream().map(String.class::cast).toList();
    }

    // ------------------------------------------------------------------ webhooks

    /** @return whether this delivery is new (a repeated one is applied already) */
    public boolean recordWebhook(String provider, String eventId, Instant now) {
        return entityManager.createNativeQuery("INSERT INTO webhook_events (provider, event_id, received_at) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT DO NOTHING")
                .setParameter(1, provider).setParameter(2, eventId).setParameter(3, utc(now)).executeUpdate() > 0;
    }

    // ------------------------------------------------------------------ mapping

    private static Plan plan(Object[] r) {
        String features = (String) r[7];
        return new Plan((String) r[0], (String) r[1], ((Number) r[2]).longValue(), ((String) r[3]).strip(),
                (String) r[4], ((Number) r[5]).intValue(), ((Number) r[6]).intValue(),
                features == null || features.isEmpty() ? List.of() : Arrays.asList(features.split("\u001f")));
    }

    private static Optional<TransactionRow> firstTransaction(List<?> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(transaction((Object[]) rows.get(0)));
    }

    private static TransactionRow transaction(Object[] r) {
        return new TransactionRow((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(),
                ((String) r[4]).strip(), PaymentStatus.valueOf((String) r[5]), (String) r[6], (String) r[7],
                (String) r[8], (String) r[9], instant(r[10]), instant(r[11]), Optional.ofNullable(r[12]).map(SqlTimes::instant),
                Optional.ofNullable(r[13]).map(SqlTimes::instant));
    }

    private static Optional<SubscriptionRow> firstSubscription(List<?> rows) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new SubscriptionRow((String) r[0], (String) r[1], new SubscriptionTerms.Terms((String) r[2],
                SubscriptionTerms.Status.valueOf((String) r[3]), instant(r[4]), instant(r[5]), (Boolean) r[6],
                Optional.ofNullable(r[7]).map(SqlTimes::instant))));
    }
}

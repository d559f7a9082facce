package io.pawfiler.payment.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import io.pawfiler.api.payment.PaymentStatus;
import io.pawfiler.api.payment.Subscription;
import io.pawfiler.api.payment.SubscriptionPlan;
import io.pawfiler.api.payment.Transaction;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.events.PaymentEvents;
import io.pawfiler.payment.store.PaymentStore;

/** Domain and store rows → payment.proto messages. */
final class PaymentMapping {

    private PaymentMapping() {
    }

    static SubscriptionPlan plan(Plan plan) {
        return SubscriptionPlan.newBuilder().setId(plan.id()).setName(plan.name())
                .setPrice(majorUnits(plan.amount(), plan.currency())).setCurrency(plan.currency())
                .addAllFeatures(plan.features()).setAmount(plan.amount()).setBillingPeriod(plan.billingPeriod())
                .setDurationDays(plan.durationDays()).build();
    }

    static Subscription subscription(String userId, Optional<PaymentStore.SubscriptionRow> row, Optional<Plan> plan,
                                     Instant now) {
        if (row.isEmpty()) {
            return Subscription.newBuilder().setUserId(userId).setStatus("NONE").setActive(false).build();
        }
        var terms = row.get().terms();
        Subscription.Builder out = Subscription.newBuilder().setId(row.get().id()).setUserId(userId)
                .setPlanId(terms.planId()).setStatus(terms.status().name())
                .setStartedAt(rfc3339(terms.startedAt())).setExpiresAt(rfc3339(terms.expiresAt()))
                .setActive(terms.premiumAt(now)).setAutoRenew(terms.autoRenew())
                .setPremiumUntil(PaymentEvents.timestamp(terms.expiresAt()));
        terms.canceledAt().ifPresent(at -> out.setCanceledAt(PaymentEvents.timestamp(at)));
        plan.ifPresent(p -> out.setPlanName(p.name()));
        return out.build();
    }

    static Transaction transaction(PaymentStore.TransactionRow row, Optional<Plan> plan) {
        Transaction.Builder out = Transaction.newBuilder().setId(row.id()).setUserId(row.userId())
                .setPlanId(row.planId()).setAmount(row.amount()).setCurrency(row.currency())
                .setStatus(status(row.status())).setProvider(row.provider())
                .setCreatedAt(PaymentEvents.timestamp(row.createdAt()))
                .setFailureReason(row.failureReason() == null ? "" : row.failureReason());
        row.completedAt().ifPresent(at -> out.setCompletedAt(PaymentEvents.timestamp(at)));
        row.refundedAt().ifPresent(at -> out.setRefundedAt(PaymentEvents.timestamp(at)));
        plan.ifPresent(p -> out.setPlanName(p.name()));
        return out.build();
    }

    static PaymentStatus status(io.pawfiler.payment.domain.PaymentStatus status) {
        return PaymentStatus.valueOf(status.name());
    }

    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** KRW and JPY have no minor unit; the others here have two. */
    static double majorUnits(long amount, String currency) {
        return switch (currency) {
            case "KRW", "JPY" -> amount;
            default -> amount / 100.0;
        };
    }
}

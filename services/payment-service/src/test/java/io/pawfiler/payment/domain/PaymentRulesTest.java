package io.pawfiler.payment.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payment rules: the transaction state machine, subscription terms, webhook signatures. */
class PaymentRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Plan MONTHLY = new Plan("monthly", "월간 프리미엄", 4900, "KRW", "MONTHLY", 30, 0, List.of());
    private static final Plan YEARLY = new Plan("yearly", "연간 프리미엄", 39000, "KRW", "YEARLY", 365, 500, List.of());

    @Test
    void premiumIsGrantedOnlyOnTheStepIntoCompletedAndTakenBackOnlyOnTheStepIntoRefunded() {
        var done = PaymentLifecycle.next(PaymentStatus.PENDING, ProviderStatus.DONE);
        assertEquals(PaymentStatus.COMPLETED, done.status());
        assertTrue(done.grantsPremium());
        var again = PaymentLifecycle.next(PaymentStatus.COMPLETED, ProviderStatus.DONE);
        assertFalse(again.changes(PaymentStatus.COMPLETED), "confirmed twice: granted once");
        assertFalse(again.grantsPremium());

        var refund = PaymentLifecycle.next(PaymentStatus.COMPLETED, ProviderStatus.CANCELED);
        assertEquals(PaymentStatus.REFUNDED, refund.status());
        assertTrue(refund.revokesPremium());
        assertFalse(PaymentLifecycle.next(PaymentStatus.COMPLETED, ProviderStatus.PARTIAL_CANCELED).changes(PaymentStatus.COMPLETED));
        assertFalse(PaymentLifecycle.next(PaymentStatus.REFUNDED, ProviderStatus.CANCELED).revokesPremium(), "refunded once");
        assertFalse(PaymentLifecycle.next(PaymentStatus.REFUNDED, ProviderStatus.DONE).grantsPremium(),
                "a late DONE after the refund grants nothing");

        assertEquals(PaymentStatus.FAILED, PaymentLifecycle.next(PaymentStatus.PENDING, ProviderStatus.ABORTED).status());
        assertEquals(PaymentStatus.FAILED, PaymentLifecycle.next(PaymentStatus.PENDING, ProviderStatus.EXPIRED).status());
        assertEquals(PaymentStatus.CANCELED, PaymentLifecycle.next(PaymentStatus.PENDING, ProviderStatus.CANCELED).status());
        assertEquals(PaymentStatus.PENDING, PaymentLifecycle.next(PaymentStatus.PENDING, ProviderStatus.IN_PROGRESS).status());
        assertTrue(PaymentLifecycle.next(PaymentStatus.FAILED, ProviderStatus.DONE).grantsPremium(),
                "money taken after a checkout was given up: granted");
        assertFalse(PaymentLifecycle.next(PaymentStatus.CANCELED, ProviderStatus.DONE).grantsPremium());
    }

    @Test
    void aPurchaseExtendsFromTheLaterOfNowAndTheCurrentEnd() {
        var first = SubscriptionTerms.purchase(Optional.empty(), MONTHLY, NOW);
        assertEquals(SubscriptionTerms.Status.ACTIVE, first.status());
        assertEquals(NOW.plus(Duration.ofDays(30)), first.expiresAt());
        assertTrue(first.autoRenew());

        var renewed = SubscriptionTerms.purchase(Optional.of(first), MONTHLY, NOW.plus(Duration.ofDays(10)));
        assertEquals(NOW.plus(Duration.ofDays(60)), renewed.expiresAt(), "bought again while active: a period more");
        assertEquals(NOW, renewed.startedAt());

        var switched = SubscriptionTerms.purchase(Optional.of(first), YEARLY, NOW.plus(Duration.ofDays(10)));
        assertEquals("yearly", switched.planId());
        assertEquals(NOW.plus(Duration.ofDays(30 + 365)), switched.expiresAt(), "monthly days left are kept");

        var lapsed = new SubscriptionTerms.Terms("monthly", SubscriptionTerms.Status.EXPIRED, NOW.minus(Duration.ofDays(60)),
                NOW.minus(Duration.ofDays(30)), false, Optional.empty());
        var fresh = SubscriptionTerms.purchase(Optional.of(lapsed), MONTHLY, NOW);
        assertEquals(NOW.plus(Duration.ofDays(30)), fresh.expiresAt(), "after expiry, from now");
        assertEquals(NOW, fresh.startedAt());
    }

    @Test
    void cancelKeepsPremiumUntilTheEndRefundShortensItExpiryEndsIt() {
        var active = SubscriptionTerms.purchase(Optional.empty(), MONTHLY, NOW);
        var cancelled = SubscriptionTerms.cancel(active, NOW.plus(Duration.ofDays(1)));
        assertEquals(SubscriptionTerms.Status.CANCELED, cancelled.status());
        assertFalse(cancelled.autoRenew());
        assertEquals(active.expiresAt(), cancelled.expiresAt());
        assertTrue(cancelled.premiumAt(NOW.plus(Duration.ofDays(29))));
        assertFalse(cancelled.premiumAt(NOW.plus(Duration.ofDays(31))));

        var twoMonths = SubscriptionTerms.purchase(Optional.of(active), MONTHLY, NOW);
        var refundedOne = SubscriptionTerms.refund(twoMonths, MONTHLY, NOW);
        assertEquals(NOW.plus(Duration.ofDays(30)), refundedOne.expiresAt(), "one period taken back");
        var refundedAll = SubscriptionTerms.refund(refundedOne, MONTHLY, NOW.plus(Duration.ofDays(5)));
        assertEquals(SubscriptionTerms.Status.EXPIRED, refundedAll.status());
        assertFalse(refundedAll.premiumAt(NOW.plus(Duration.ofDays(5))));

        assertTrue(SubscriptionTerms.expire(active, NOW.plus(Duration.ofDays(29))).isEmpty());
        assertEquals(SubscriptionTerms.Status.EXPIRED,
                SubscriptionTerms.expire(cancelled, NOW.plus(Duration.ofDays(30))).orElseThrow().status());
    }

    @Test
    void aWebhookSignatureVerifiesOnlyForItsBodyAndTimeWithinFiveMinutes() {
        byte[] secret = "webhook-secret-for-tests-0123456789".getBytes(StandardCharsets.UTF_8);
        String body = "{\"eventType\":\"PAYMENT_STATUS_CHANGED\"}";
        long sent = NOW.getEpochSecond();
        String signature = WebhookSignature.sign(secret, sent, body);
        assertTrue(WebhookSignature.verify(secret, String.valueOf(sent), body, signature, NOW.plusSeconds(299)));
        assertFalse(WebhookSignature.verify(secret, String.valueOf(sent), body, signature, NOW.plusSeconds(301)), "stale");
        assertFalse(WebhookSignature.verify(secret, String.valueOf(sent), body + " ", signature, NOW), "body changed");
        assertFalse(WebhookSignature.verify(secret, String.valueOf(sent + 1), body, signature, NOW), "time changed");
        assertFalse(WebhookSignature.verify("other-secret-0123456789012345678".getBytes(StandardCharsets.UTF_8),
                String.valueOf(sent), body, signature, NOW));
        assertFalse(WebhookSignature.verify(secret, "soon", body, signature, NOW));
        assertFalse(WebhookSignature.verify(secret, String.valueOf(sent), body, "v1:%%%", NOW));
        assertFalse(WebhookSignature.verify(secret, String.valueOf(sent), body, signature.substring(3), NOW), "no version");
    }
}

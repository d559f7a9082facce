package io.pawfiler.payment.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.api.payment.CancelSubscriptionRequest;
import io.pawfiler.api.payment.CancelSubscriptionResponse;
import io.pawfiler.api.payment.CheckoutRequest;
import io.pawfiler.api.payment.CheckoutResponse;
import io.pawfiler.api.payment.ConfirmPaymentRequest;
import io.pawfiler.api.payment.ConfirmPaymentResponse;
import io.pawfiler.api.payment.GetPlansRequest;
import io.pawfiler.api.payment.GetSubscriptionRequest;
import io.pawfiler.api.payment.ListTransactionsRequest;
import io.pawfiler.api.payment.ListTransactionsResponse;
import io.pawfiler.api.payment.PaymentServiceGrpc;
import io.pawfiler.api.payment.PlansResponse;
import io.pawfiler.api.payment.RefundPaymentRequest;
import io.pawfiler.api.payment.RefundPaymentResponse;
import io.pawfiler.api.payment.Subscription;
import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.events.PaymentEvents;
import io.pawfiler.payment.service.History;
import io.pawfiler.payment.service.Ledger;
import io.pawfiler.payment.service.Payments;
import io.pawfiler.payment.service.Refunds;
import io.pawfiler.payment.service.Subscriptions;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * {@code payment.PaymentService}. The buyer is the token's subject; a {@code user_id} in a request must be the
 * caller's own unless an admin sends it. Prices always come from the server's plans.
 */
@Dependent
public class PaymentGrpcService extends PaymentServiceGrpc.PaymentServiceImplBase {

    @Inject
    Payments payments;

    @Inject
    Subscriptions subscriptions;

    @Inject
    Refunds refunds;

    @Inject
    History history;

    @Inject
    CallerContext callers;

    @Override
    public void getPlans(GetPlansRequest request, StreamObserver<PlansResponse> response) {
        callers.require();
        PlansResponse.Builder out = PlansResponse.newBuilder();
        payments.plans().forEach(plan -> out.addPlans(PaymentMapping.plan(plan)));
        reply(response, out.build());
    }

    @Override
    public void createCheckout(CheckoutRequest request, StreamObserver<CheckoutResponse> response) {
        reply(response, checkout(request));
    }

    @Override
    public void checkout(CheckoutRequest request, StreamObserver<CheckoutResponse> response) {
        reply(response, checkout(request));
    }

    private CheckoutResponse checkout(CheckoutRequest request) {
        Caller caller = callers.require();
        String userId = caller.actingFor(request.getUserId());
        Payments.Checkout checkout = payments.checkout(userId, request.getPlanId(), request.getIdempotencyKey(),
                request.getReturnUrl());
        PaymentStore.TransactionRow transaction = checkout.transaction();
        CheckoutResponse.Builder out = CheckoutResponse.newBuilder()
                .setSuccess(transaction.status() == PaymentStatus.COMPLETED)
                .setTransactionId(transaction.id())
                .setStatus(PaymentMapping.status(transaction.status()))
                .setCheckoutUrl(checkout.checkoutUrl())
                .setAmount(transaction.amount())
                .setCurrency(transaction.currency());
        if (transaction.status() == PaymentStatus.COMPLETED) {
            checkout.subscription().ifPresent(s -> out.setNewSubscriptionType("premium")
                    .setExpiresAt(PaymentMapping.rfc3339(s.terms().expiresAt()))
                    .setPremiumUntil(PaymentEvents.timestamp(s.terms().expiresAt())));
        }
        return out.build();
    }

    @Override
    public void confirmPayment(ConfirmPaymentRequest request, StreamObserver<ConfirmPaymentResponse> response) {
        Caller caller = callers.require();
        caller.actingFor(request.getUserId());
        Payments.Confirmation confirmation = payments.confirm(caller, request.getTransactionId(),
                request.getProviderPaymentKey(), request.getAmount());
        PaymentStore.TransactionRow transaction = confirmation.transaction();
        ConfirmPaymentResponse.Builder out = ConfirmPaymentResponse.newBuilder()
                .setSuccess(transaction.status() == PaymentStatus.COMPLETED)
                .setTransactionId(transaction.id())
                .setStatus(PaymentMapping.status(transaction.status()))
                .setFailureReason(transaction.failureReason() == null ? "" : transaction.failureReason());
        if (transaction.status() == PaymentStatus.COMPLETED) {
            out.setSubscription(subscription(transaction.userId(), confirmation.subscription()));
            confirmation.subscription().ifPresent(s -> out.setPremiumUntil(PaymentEvents.timestamp(s.terms().expiresAt())));
        }
        reply(response, out.build());
    }

    @Override
    public void getSubscription(GetSubscriptionRequest request, StreamObserver<Subscription> response) {
        String userId = callers.require().actingFor(request.getUserId());
        reply(response, subscription(userId, subscriptions.of(userId)));
    }

    @Override
    public void cancelSubscription(CancelSubscriptionRequest request, StreamObserver<CancelSubscriptionResponse> response) {
        Caller caller = callers.require();
        String userId = caller.actingFor(request.getUserId());
        PaymentStore.SubscriptionRow cancelled = subscriptions.cancel(userId, request.getSubscriptionId(), caller.isAdmin());
        reply(response, CancelSubscriptionResponse.newBuilder().setSuccess(true)
                .setSubscription(subscription(userId, Optional.of(cancelled))).build());
    }

    @Override
    public void listTransactions(ListTransactionsRequest request, StreamObserver<ListTransactionsResponse> response) {
        String userId = callers.require().actingFor(request.getUserId());
        History.Page page = history.of(userId, request.getPageSize(), request.getPageToken());
        Map<String, Plan> plans = plans();
        ListTransactionsResponse.Builder out = ListTransactionsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.transactions().forEach(t -> out.addTransactions(PaymentMapping.transaction(t,
                Optional.ofNullable(plans.get(t.planId())))));
        reply(response, out.build());
    }

    @Override
    public void refundPayment(RefundPaymentRequest request, StreamObserver<RefundPaymentResponse> response) {
        if (!callers.require().isAdmin()) {
            throw ApiException.permissionDenied("RefundPayment is for admins");
        }
        if (request.getTransactionId().isBlank()) {
            throw ApiException.invalidArgument("transaction_id", "is required");
        }
        Ledger.Applied refunded = refunds.refund(request.getTransactionId(), request.getReason());
        Map<String, Plan> plans = plans();
        reply(response, RefundPaymentResponse.newBuilder()
                .setTransaction(PaymentMapping.transaction(refunded.transaction(),
                        Optional.ofNullable(plans.get(refunded.transaction().planId()))))
                .setSubscription(subscription(refunded.transaction().userId(), refunded.subscription(), plans)).build());
    }

    private Subscription subscription(String userId, Optional<PaymentStore.SubscriptionRow> row) {
        return subscription(userId, row, row.isPresent() ? plans() : Map.of());
    }

    /** With the plans the caller already read for this request (one plan query per call, not per message). */
    private static Subscription subscription(String userId, Optional<PaymentStore.SubscriptionRow> row,
                                             Map<String, Plan> plans) {
        return PaymentMapping.subscription(userId, row, row.map(r -> plans.get(r.terms().planId())), Instant.now());
    }

    private Map<String, Plan> plans() {
        List<Plan> plans = payments.plans();
        return plans.stream().collect(Collectors.toMap(Plan::id, Function.identity()));
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}

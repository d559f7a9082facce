package io.pawfiler.paymentsandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Every payment, in memory, and the rules that move them between statuses. All methods hold this object's lock, so
 * each operation sees and leaves a consistent ledger; status changes are announced to the listener (the webhook
 * dispatcher, which only queues) inside the lock, in the order they happen.
 */
final class Ledger {

    /** Toss's timestamps: ISO-8601 with offset, seconds, Korea time. */
    static final ZoneId ZONE = ZoneId.of("Asia/Seoul");
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** Toss's rule for orderId: 6-64 characters of letters, digits, '-', '_' and '='. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_=-]{6,64}");
    private static final long MAX_AMOUNT = 1_000_000_000L;
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Settings settings;
    private final Clock clock;
    private final Consumer<JsonObject> statusChanged;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Record> byKey = new LinkedHashMap<>();
    private final Map<String, Record> byOrderId = new HashMap<>();

    Ledger(Settings settings, Clock clock, Consumer<JsonObject> statusChanged) {
        this.settings = settings;
        this.clock = clock;
        this.statusChanged = statusChanged;
    }

    /** An order as the checkout page (or a control) gets it. */
    record Order(String orderId, String orderName, long amount, String customerKey) {

        Order {
            if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
                throw Json.invalid("orderId must be 6-64 characters of A-Z a-z 0-9 - _ =");
            }
            if (orderName == null || orderName.isBlank() || orderName.length() > 100) {
                throw Json.invalid("orderName must be 1-100 characters");
            }
            if (amount <= 0 || amount > MAX_AMOUNT) {
                throw Json.invalid("amount must be 1.." + MAX_AMOUNT + " won");
            }
            if (customerKey != null && (customerKey.isBlank() || customerKey.length() > 300)) {
                customerKey = null;
            }
        }
    }

    /**
     * The customer authorized the order on the checkout page: a new IN_PROGRESS payment. Pressing "pay" again for
     * the same, still unconfirmed order gives the same payment back; any other reuse of an orderId is refused.
     */
    synchronized Payment authorize(Order order) {
        Record existing = byOrderId.get(order.orderId());
        if (existing != null) {
            if (existing.status == PaymentStatus.IN_PROGRESS && existing.totalAmount == order.amount()
                    && existing.orderName.equals(order.orderName())) {
                return existing.snapshot();
            }
            throw new SandboxException(400, "DUPLICATED_ORDER_ID",
                    "이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.");
        }
        Record record = new Record(newPaymentKey(), order, now());
        byKey.put(record.paymentKey, record);
        byOrderId.put(record.orderId, record);
        return record.snapshot();
    }

    /** {@code POST /v1/payments/confirm}. */
    synchronized Payment confirm(String paymentKey, String orderId, long amount) {
        Record record = byKey.get(paymentKey);
        if (record == null) {
            throw notFound();
        }
        if (!record.orderId.equals(orderId)) {
            throw Json.invalid("orderId가 결제 정보와 일치하지 않습니다. (orderId does not match the payment)");
        }
        if (record.totalAmount != amount) {
            throw new SandboxException(400, "INVALID_REQUEST", "결제 금액이 일치하지 않습니다. (amount " + amount
                    + " does not match the payment's " + record.totalAmount + ")");
        }
        switch (record.status) {
            case IN_PROGRESS -> {
                approve(record);
                return record.snapshot();
            }
            case EXPIRED -> throw new SandboxException(404, "NOT_FOUND_PAYMENT_SESSION",
                    "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.");
            default -> throw alreadyProcessed();
        }
    }

    /**
     * {@code POST /v1/payments/{paymentKey}/cancel}: the whole balance when {@code cancelAmount} is null, else that
     * much of it. An IN_PROGRESS payment (never confirmed) can only be cancelled whole: its authorization is voided.
     */
    synchronized Payment cancel(String paymentKey, String cancelReason, Long cancelAmount) {
        Record record = byKey.get(paymentKey);
        if (record == null) {
            throw notFound();
        }
        if (cancelReason == null || cancelReason.isBlank() || cancelReason.length() > 200) {
            throw Json.invalid("cancelReason is required (at most 200 characters)");
        }
        switch (record.status) {
            case CANCELED -> throw new SandboxException(400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.");
            case ABORTED, EXPIRED -> throw new SandboxException(400, "NOT_CANCELABLE_PAYMENT",
                    "취소 할 수 없는 결제 입니다.");
            default -> {
            }
        }
        long amount = cancelAmount == null ? record.balanceAmount : cancelAmount;
        if (amount <= 0 || amount > record.balanceAmount
                || (record.status == PaymentStatus.IN_PROGRESS && amount != record.balanceAmount)) {
            throw new SandboxException(400, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다. (balance "
                    + record.balanceAmount + ", asked " + amount + ")");
        }
        record.balanceAmount -= amount;
        record.lastTransactionKey = newTransactionKey();
        record.cancels.add(new CancelRecord(record.lastTransactionKey, amount, cancelReason, now(),
                record.balanceAmount));
        change(record, record.balanceAmount == 0 ? PaymentStatus.CANCELED : PaymentStatus.PARTIAL_CANCELED);
        return record.snapshot();
    }

    /** Test control: the provider settled the order by itself (no confirm call), as a lost redirect would leave it. */
    synchronized Payment settle(String orderId, Order createIfMissing) {
        Record record = byOrderId.get(orderId);
        if (record == null) {
            if (createIfMissing == null) {
                throw notFound();
            }
            authorize(createIfMissing);
            record = byOrderId.get(orderId);
        }
        if (record.status != PaymentStatus.IN_PROGRESS) {
            throw alreadyProcessed();
        }
        approve(record);
        return record.snapshot();
    }

    /** Test control: the approval failed (ABORTED) or the payment was not confirmed in time (EXPIRED). */
    synchronized Payment fail(String paymentKey, PaymentStatus status) {
        Record record = byKey.get(paymentKey);
        if (record == null) {
            throw notFound();
        }
        if (record.status != PaymentStatus.IN_PROGRESS) {
            throw alreadyProcessed();
        }
        record.failure = status == PaymentStatus.EXPIRED
                ? new String[] {"EXPIRED_PAYMENT", "결제가 만료되었습니다. 다시 시도해주세요."}
                : new String[] {"PAY_PROCESS_ABORTED", "결제 진행 중 승인에 실패하여 결제가 중단되었습니다."};
        change(record, status);
        return record.snapshot();
    }

    synchronized Payment get(String paymentKey) {
        Record record = byKey.get(paymentKey);
        if (record == null) {
            throw notFound();
        }
        return record.snapshot();
    }

    synchronized Payment getByOrderId(String orderId) {
        Record record = byOrderId.get(orderId);
        if (record == null) {
            throw notFound();
        }
        return record.snapshot();
    }

    synchronized List<Payment> all() {
        List<Payment> all = new ArrayList<>();
        for (Record record : byKey.values()) {
            all.add(record.snapshot());
        }
        return all;
    }

    synchronized void clear() {
        byKey.clear();
        byOrderId.clear();
    }

    private void approve(Record record) {
        record.approvedAt = now();
        record.lastTransactionKey = newTransactionKey();
        record.approveNo = String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
        change(record, PaymentStatus.DONE);
    }

    private void change(Record record, PaymentStatus status) {
        record.status = status;
        statusChanged.accept(record.snapshot().json());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZONE)).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Like Toss's newer keys: a merchant prefix, the time, random letters ({@code tsbx20250301120000Ab3dE9xYz1}). */
    private String newPaymentKey() {
        String time = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").format(now());
        return "tsbx" + time + randomAlphanumeric(10);
    }

    private String newTransactionKey() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private String randomAlphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)]);
        }
        return out.toString();
    }

    private static SandboxException notFound() {
        return new SandboxException(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
    }

    private static SandboxException alreadyProcessed() {
        return new SandboxException(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.");
    }

    private record CancelRecord(String transactionKey, long cancelAmount, String cancelReason,
                                OffsetDateTime canceledAt, long refundableAmount) {
    }

    /** One payment; guarded by the ledger's lock. */
    private final class Record {
        final String paymentKey;
        final String orderId;
        final String orderName;
        final String customerKey;
        final long totalAmount;
        final OffsetDateTime requestedAt;
        final List<CancelRecord> cancels = new ArrayList<>();
        long balanceAmount;
        PaymentStatus status = PaymentStatus.IN_PROGRESS;
        OffsetDateTime approvedAt;
        String lastTransactionKey;
        String approveNo;
        String[] failure;

        Record(String paymentKey, Order order, OffsetDateTime requestedAt) {
            this.paymentKey = paymentKey;
            this.orderId = order.orderId();
            this.orderName = order.orderName();
            this.customerKey = order.customerKey();
            this.totalAmount = order.amount();
            this.balanceAmount = order.amount();
            this.requestedAt = requestedAt;
        }

        Payment snapshot() {
            List<Payment.Cancel> cancelList = new ArrayList<>();
            for (CancelRecord cancel : cancels) {
                cancelList.add(new Payment.Cancel(cancel.transactionKey(), cancel.cancelAmount(),
                        cancel.cancelReason(), cancel.canceledAt(), cancel.refundableAmount()));
            }
            return new Payment(paymentKey, orderId, orderName, status, totalAmount, balanceAmount, requestedAt,
                    approvedAt, cancelList, json());
        }

        /** The Toss Payment object (API version 2022-11-16), with the fields a card payment has. */
        JsonObject json() {
            long vat = Math.round(balanceAmount / 11.0);
            JsonObjectBuilder json = Json.object()
                    .add("mId", "tsandbox")
                    .add("version", "2022-11-16");
            Json.add(json, "lastTransactionKey", lastTransactionKey)
                    .add("paymentKey", paymentKey)
                    .add("orderId", orderId)
                    .add("orderName", orderName)
                    .add("taxExemptionAmount", 0)
                    .add("status", status.name())
                    .add("requestedAt", TIMESTAMP.format(requestedAt));
            Json.add(json, "approvedAt", approvedAt == null ? null : TIMESTAMP.format(approvedAt))
                    .add("useEscrow", false)
                    .add("cultureExpense", false);
            if (approvedAt == null) {
                json.addNull("card");
            } else {
                json.add("card", Json.object()
                        .add("issuerCode", "61")
                        .add("acquirerCode", "31")
                        .add("number", "43301234****123*")
                        .add("installmentPlanMonths", 0)
                        .add("isInterestFree", false)
                        .addNull("interestPayer")
                        .add("approveNo", approveNo)
                        .add("useCardPoint", false)
                        .add("cardType", "신용")
                        .add("ownerType", "개인")
                        .add("acquireStatus", balanceAmount == 0 ? "CANCELED" : "READY")
                        .add("amount", totalAmount));
            }
            json.addNull("virtualAccount")
                    .addNull("transfer")
                    .addNull("mobilePhone")
                    .addNull("giftCertificate")
                    .addNull("cashReceipt")
                    .addNull("cashReceipts")
                    .addNull("discount");
            JsonArrayBuilder cancelArray = Json.array();
            for (CancelRecord cancel : cancels) {
                cancelArray.add(Json.object()
                        .add("transactionKey", cancel.transactionKey())
                        .add("cancelReason", cancel.cancelReason())
                        .add("taxExemptionAmount", 0)
                        .add("canceledAt", TIMESTAMP.format(cancel.canceledAt()))
                        .add("easyPayDiscountAmount", 0)
                        .addNull("receiptKey")
                        .add("cancelStatus", "DONE")
                        .addNull("cancelRequestId")
                        .add("cancelAmount", cancel.cancelAmount())
                        .add("taxFreeAmount", 0)
                        .add("refundableAmount", cancel.refundableAmount()));
            }
            json.add("cancels", cancelArray)
                    .addNull("secret")
                    .add("type", "NORMAL")
                    .addNull("easyPay")
                    .add("country", "KR");
            if (failure == null) {
                json.addNull("failure");
            } else {
                json.add("failure", Json.object().add("code", failure[0]).add("message", failure[1]));
            }
            json.add("isPartialCancelable", true)
                    .addNull("receipt")
                    .addNull("checkout")
                    .add("currency", settings.currency())
                    .add("totalAmount", totalAmount)
                    .add("balanceAmount", balanceAmount)
                    .add("suppliedAmount", balanceAmount - vat)
                    .add("vat", vat)
                    .add("taxFreeAmount", 0)
                    .add("method", "카드")
                    .addNull("metadata");
            return json.build();
        }
    }
}

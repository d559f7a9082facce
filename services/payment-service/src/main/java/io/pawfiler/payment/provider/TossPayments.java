package io.pawfiler.payment.provider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.pawfiler.payment.domain.ProviderStatus;
import io.pawfiler.platform.json.Jsons;

/**
 * Toss Payments' server API v1: {@code POST /v1/payments/confirm}, {@code POST /v1/payments/{paymentKey}/cancel},
 * {@code GET /v1/payments/{paymentKey}} and {@code GET /v1/payments/orders/{orderId}}, authenticated with the secret
 * key as HTTP Basic user (empty password). POSTs carry an {@code Idempotency-Key}, so a retry after a timeout or a
 * 5xx is answered with the first result instead of acting twice; only those (and connection failures) are retried.
 */
@ApplicationScoped
public class TossPayments implements PaymentProvider {

    private final HttpClient http;
    private final URI baseUrl;
    private final String authorization;
    private final String checkoutUrl;
    private final Duration requestTimeout;

    @Inject
    TossPayments(@ConfigProperty(name = "pawfiler.payment.toss.base-url") String baseUrl,
                 @ConfigProperty(name = "pawfiler.payment.toss.secret-key") Optional<String> secretKey,
                 @ConfigProperty(name = "pawfiler.payment.toss.checkout-url") String checkoutUrl,
                 @ConfigProperty(name = "pawfiler.payment.toss.connect-timeout", defaultValue = "PT3S") Duration connectTimeout,
                 @ConfigProperty(name = "pawfiler.payment.toss.request-timeout", defaultValue = "PT10S") Duration requestTimeout) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        // No key: every call is refused by the provider (401) and reported UNAVAILABLE; the service still starts.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (secretKey.orElse("") + ":").getBytes(StandardCharsets.UTF_8));
        this.checkoutUrl = checkoutUrl;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: no h2c upgrade dance with plain-HTTP sandboxes; Toss's HTTPS endpoint negotiates either way
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    @Override
    public String name() {
        return "toss";
    }

    @Override
    public String checkoutUrl(CheckoutOrder order) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("orderId", order.orderId());
        query.put("amount", String.valueOf(order.amount()));
        query.put("orderName", order.orderName());
        query.put("customerKey", order.customerKey());
        query.put("successUrl", order.successUrl());
        query.put("failUrl", order.failUrl());
        return checkoutUrl + (checkoutUrl.contains("?") ? "&" : "?") + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = ProviderException.Retryable.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            failOn = ProviderException.Retryable.class)
    public ProviderPayment confirm(String paymentKey, String orderId, long amount, String idempotencyKey) {
        String body = Jsons.object().add("paymentKey", paymentKey).add("orderId", orderId).add("amount", amount)
                .build().toString();
        return payment(send(post("v1/payments/confirm", body, idempotencyKey)).orElseThrow(() ->
                new ProviderException("NOT_FOUND_PAYMENT", "the provider knows no payment " + paymentKey, false, null)));
    }

    @Override
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = ProviderException.Retryable.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            failOn = ProviderException.Retryable.class)
    public ProviderPayment cancel(String paymentKey, String reason, String idempotencyKey) {
        String body = Jsons.object().add("cancelReason", reason).build().toString();
        return payment(send(post("v1/payments/" + path(paymentKey) + "/cancel", body, idempotencyKey)).orElseThrow(() ->
                new ProviderException("NOT_FOUND_PAYMENT", "the provider knows no payment " + paymentKey, false, null)));
    }

    @Override
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = ProviderException.Retryable.class)
    public Optional<ProviderPayment> findByOrder(String orderId) {
        return send(get("v1/payments/orders/" + path(orderId))).map(TossPayments::payment);
    }

    @Override
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = ProviderException.Retryable.class)
    public Optional<ProviderPayment> find(String paymentKey) {
        return send(get("v1/payments/" + path(paymentKey))).map(TossPayments::payment);
    }

    private HttpRequest post(String path, String body, String idempotencyKey) {
        return request(path).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(requestTimeout)
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    /** The response's JSON object; empty on 404 NOT_FOUND_PAYMENT; refusals and failures as ProviderException. */
    private Optional<JsonObject> send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProviderException.Retryable("UNAVAILABLE", "the payment provider is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException.Retryable("UNAVAILABLE", "interrupted while calling the payment provider", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Optional.of(Jsons.parseObject(response.body()));
        }
        String code = "HTTP_" + status;
        String message = response.body();
        try {
            JsonObject error = Jsons.parseObject(response.body());
            code = error.getString("code", code);
            message = error.getString("message", message);
        } catch (RuntimeException notJson) {
            // keep the status code and raw body
        }
        if (status == 404 && code.startsWith("NOT_FOUND")) {
            return Optional.empty();
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new ProviderException.Retryable(code, "the payment provider failed (" + status + "): " + message, null);
        }
        throw new ProviderException(code, message, false, null);
    }

    private static ProviderPayment payment(JsonObject json) {
        ProviderStatus status = ProviderStatus.parse(json.getString("status", ""))
                .orElseThrow(() -> new ProviderException("UNKNOWN_STATUS", "unknown payment status "
                        + json.getString("status", "(none)"), false, null));
        Optional<java.time.Instant> approvedAt = json.containsKey("approvedAt")
                && json.get("approvedAt").getValueType() == JsonValue.ValueType.STRING
                ? Optional.of(OffsetDateTime.parse(json.getString("approvedAt")).toInstant()) : Optional.empty();
        return new ProviderPayment(json.getString("paymentKey", ""), json.getString("orderId", ""), status,
                json.getJsonNumber("totalAmount").longValue(),
                json.containsKey("balanceAmount") ? json.getJsonNumber("balanceAmount").longValue() : 0,
                json.getString("currency", "KRW"), approvedAt);
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.pawfiler.paymentsandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** Every path of the sandbox: the checkout page, the Toss API subset and the {@code /sandbox} test controls. */
final class HttpApi implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_URL_LENGTH = 2048;
    private static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private final SandboxProvider sandbox;
    private final Settings settings;
    private final Ledger ledger;
    private final Idempotency idempotency;
    private final byte[][] secretKeys;

    HttpApi(SandboxProvider sandbox, Settings settings, Ledger ledger, Idempotency idempotency) {
        this.sandbox = sandbox;
        this.settings = settings;
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.secretKeys = new byte[settings.secretKeys().size()][];
        for (int i = 0; i < secretKeys.length; i++) {
            secretKeys[i] = (settings.secretKeys().get(i) + ":").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** An answer; {@code delay} holds it back before it is sent (a hanging confirm). */
    record Response(int status, String contentType, byte[] body, Map<String, String> headers, Duration delay) {

        static Response json(int status, String json) {
            return new Response(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ZERO);
        }

        static Response json(int status, JsonValue json) {
            return json(status, json.toString());
        }

        static Response html(int status, String html) {
            return new Response(status, HTML, html.getBytes(StandardCharsets.UTF_8),
                    Map.of("Cache-Control", "no-store",
                            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'",
                            "X-Frame-Options", "DENY",
                            "Referrer-Policy", "no-referrer"),
                    Duration.ZERO);
        }

        static Response redirect(String location) {
            return new Response(303, null, new byte[0], Map.of("Location", location, "Cache-Control", "no-store"),
                    Duration.ZERO);
        }

        static Response error(SandboxException e) {
            return json(e.status(), Json.error(e.code(), e.getMessage()));
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, more, delay);
        }

        Response withDelay(Duration delay) {
            return new Response(status, contentType, body, headers, delay);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long began = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Response response;
        try {
            response = route(exchange, method, segments(path));
        } catch (SandboxException e) {
            response = path.startsWith("/checkout")
                    ? Response.html(e.status(), Html.error(e.status(), e.code(), e.getMessage()))
                    : Response.error(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error on " + method + " " + path, e);
            response = Response.json(500, Json.error("FAILED_INTERNAL_SYSTEM_PROCESSING",
                    "내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요."));
        }
        try {
            if (!response.delay().isZero()) {
                Thread.sleep(response.delay());
            }
            send(exchange, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (e.g. it timed out waiting for a hanging confirm)
            LOG.fine(() -> "could not answer " + method + " " + path + ": " + e);
        } finally {
            exchange.close();
            int status = response.status();
            LOG.info(() -> String.format(Locale.ROOT, "%s %s -> %d (%d ms)", method, path, status,
                    (System.nanoTime() - began) / 1_000_000));
        }
    }

    private Response route(HttpExchange exchange, String method, List<String> path) throws IOException {
        if (path.isEmpty()) {
            requireMethod(method, "GET");
            return Response.html(200, Html.index(sandbox.baseUrl()));
        }
        switch (path.getFirst()) {
            case "checkout" -> {
                return checkout(exchange, method, path);
            }
            case "v1" -> {
                if (path.size() >= 3 && path.get(1).equals("payments")) {
                    return payments(exchange, method, path);
                }
            }
            case "sandbox" -> {
                return controls(exchange, method, path);
            }
            default -> {
            }
        }
        throw notFound();
    }

    // ---------------------------------------------------------------- checkout

    private Response checkout(HttpExchange exchange, String method, List<String> path) throws IOException {
        if (path.size() == 1) {
            requireMethod(method, "GET");
            Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery());
            Ledger.Order order = order(query);
            return Response.html(200, Html.checkout(order, url(query, "successUrl"), url(query, "failUrl")));
        }
        if (path.size() == 2 && path.get(1).equals("pay")) {
            requireMethod(method, "POST");
            Map<String, String> form = parseForm(readBody(exchange));
            Ledger.Order order = order(form);
            String successUrl = url(form, "successUrl");
            String failUrl = url(form, "failUrl");
            Payment payment;
            try {
                payment = ledger.authorize(order);
            } catch (SandboxException e) {
                return Response.redirect(withQuery(failUrl, Map.of("code", e.code(), "message", e.getMessage(),
                        "orderId", order.orderId())));
            }
            Map<String, String> back = new LinkedHashMap<>();
            back.put("paymentKey", payment.paymentKey());
            back.put("orderId", payment.orderId());
            back.put("amount", String.valueOf(payment.totalAmount()));
            return Response.redirect(withQuery(successUrl, back));
        }
        if (path.size() == 2 && path.get(1).equals("fail")) {
            requireMethod(method, "POST");
            Map<String, String> form = parseForm(readBody(exchange));
            String failUrl = url(form, "failUrl");
            Map<String, String> back = new LinkedHashMap<>();
            back.put("code", "PAY_PROCESS_CANCELED");
            back.put("message", "사용자에 의해 결제가 취소되었습니다.");
            back.put("orderId", form.getOrDefault("orderId", ""));
            return Response.redirect(withQuery(failUrl, back));
        }
        throw notFound();
    }

    private static Ledger.Order order(Map<String, String> params) {
        String amount = params.get("amount");
        long won;
        try {
            won = Long.parseLong(amount == null ? "" : amount.trim());
        } catch (NumberFormatException e) {
            throw Json.invalid("amount must be a whole number of won");
        }
        String customerKey = params.get("customerKey");
        return new Ledger.Order(params.get("orderId"), params.get("orderName"), won,
                customerKey == null || customerKey.isBlank() ? null : customerKey);
    }

    /** Only absolute http(s) URLs without user info, so no page can be made to send the browser anywhere else. */
    static String url(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            throw Json.invalid(name + " is required");
        }
        if (value.length() > MAX_URL_LENGTH) {
            throw Json.invalid(name + " is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw Json.invalid(name + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw Json.invalid(name + " must be an absolute http or https URL");
        }
        return value;
    }

    /** {@code url} with {@code params} added to its query (before any fragment). */
    static String withQuery(String url, Map<String, String> params) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        StringBuilder out = new StringBuilder(base);
        String separator = !base.contains("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
        for (Map.Entry<String, String> param : params.entrySet()) {
            out.append(separator).append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        return out.append(fragment).toString();
    }

    // ---------------------------------------------------------------- /v1/payments

    private Response payments(HttpExchange exchange, String method, List<String> path) throws IOException {
        String secretKey = authenticate(exchange);
        if (path.size() == 3 && path.get(2).equals("confirm")) {
            requireMethod(method, "POST");
            String body = readBody(exchange);
            return idempotent(exchange, secretKey, "POST /v1/payments/confirm", body, () -> confirm(body));
        }
        if (path.size() == 4 && path.get(3).equals("cancel")) {
            requireMethod(method, "POST");
            String paymentKey = path.get(2);
            String body = readBody(exchange);
            return idempotent(exchange, secretKey, "POST /v1/payments/" + paymentKey + "/cancel", body,
                    () -> cancel(paymentKey, body));
        }
        if (path.size() == 4 && path.get(2).equals("orders")) {
            requireMethod(method, "GET");
            return Response.json(200, ledger.getByOrderId(path.get(3)).json());
        }
        if (path.size() == 3) {
            requireMethod(method, "GET");
            return Response.json(200, ledger.get(path.get(2)).json());
        }
        throw notFound();
    }

    private Response confirm(String body) {
        SandboxProvider.ConfirmFault fault = sandbox.takeConfirmFault();
        if (fault.fail()) {
            return Response.json(500, Json.error("FAILED_INTERNAL_SYSTEM_PROCESSING",
                    "내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요. (sandbox: failNextConfirms)"));
        }
        Response response;
        try {
            JsonObject request = Json.parseObject(body);
            String paymentKey = Json.requiredString(request, "paymentKey");
            String orderId = Json.requiredString(request, "orderId");
            long amount = Json.requiredAmount(request, "amount");
            response = Response.json(200, ledger.confirm(paymentKey, orderId, amount).json());
        } catch (SandboxException e) {
            response = Response.error(e);
        }
        return response.withDelay(fault.hang());
    }

    private Response cancel(String paymentKey, String body) {
        JsonObject request = Json.parseObject(body);
        String cancelReason = Json.optionalString(request, "cancelReason");
        Long cancelAmount = Json.optionalAmount(request, "cancelAmount");
        return Response.json(200, ledger.cancel(paymentKey, cancelReason, cancelAmount).json());
    }

    /**
     * Runs {@code handler} under the request's {@code Idempotency-Key} if it has one: the answer (unless 5xx) is kept
     * before it is sent, so a retry made while a hanging confirm is still waiting already gets it.
     */
    private Response idempotent(HttpExchange exchange, String secretKey, String scope, String body,
                                Supplier<Response> handler) {
        String key = exchange.getRequestHeaders().getFirst(Idempotency.HEADER);
        if (key == null) {
            return run(handler);
        }
        Object started = idempotency.begin(secretKey + '\n' + scope, key.trim(), body);
        if (started instanceof Idempotency.Answer answer) {
            return Response.json(answer.status(), answer.body()).withHeader("Idempotent-Replayed", "true");
        }
        Idempotency.Entry entry = (Idempotency.Entry) started;
        Response response;
        try {
            response = run(handler);
        } catch (RuntimeException e) {
            idempotency.abandon(entry);
            throw e;
        }
        if (response.status() >= 500) {
            idempotency.abandon(entry);
        } else {
            idempotency.complete(entry, new Idempotency.Answer(response.status(), response.text()));
        }
        return response;
    }

    private static Response run(Supplier<Response> handler) {
        try {
            return handler.get();
        } catch (SandboxException e) {
            return Response.error(e);
        }
    }

    /** {@code Authorization: Basic base64(secretKey + ":")} with one of the configured keys; the key matched. */
    private String authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            byte[] credentials;
            try {
                credentials = Base64.getDecoder().decode(header.substring(6).trim());
            } catch (IllegalArgumentException e) {
                credentials = new byte[0];
            }
            int matched = -1;
            for (int i = 0; i < secretKeys.length; i++) {
                // constant time per key; every key is compared
                if (MessageDigest.isEqual(secretKeys[i], credentials)) {
                    matched = i;
                }
            }
            if (matched >= 0) {
                return settings.secretKeys().get(matched);
            }
        }
        throw new SandboxException(401, "UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
    }

    // ---------------------------------------------------------------- /sandbox controls

    private Response controls(HttpExchange exchange, String method, List<String> path) throws IOException {
        String resource = String.join("/", path.subList(1, path.size()));
        if (path.size() == 2) {
            switch (resource) {
                case "health" -> {
                    requireMethod(method, "GET");
                    return Response.json(200, Json.object().add("status", "UP")
                            .add("pid", ProcessHandle.current().pid())
                            .add("readyAt", sandbox.readyAtMillis()).build());
                }
                case "payments" -> {
                    if (method.equals("POST")) {
                        JsonObject body = Json.parseObject(readBody(exchange));
                        Payment payment = sandbox.createPayment(Json.optionalString(body, "orderId"),
                                Json.optionalString(body, "orderName"), Json.requiredAmount(body, "amount"),
                                Json.optionalString(body, "customerKey"));
                        return Response.json(201, payment.json());
                    }
                    requireMethod(method, "GET");
                    JsonArrayBuilder all = Json.array();
                    for (Payment payment : sandbox.payments()) {
                        all.add(payment.json());
                    }
                    return Response.json(200, all.build());
                }
                case "webhooks" -> {
                    requireMethod(method, "GET");
                    return Response.json(200, webhooksJson());
                }
                case "reset" -> {
                    requireMethod(method, "POST");
                    sandbox.reset();
                    return Response.json(200, Json.object().add("reset", true).build());
                }
                default -> {
                }
            }
        }
        if (path.size() == 3 && path.get(1).equals("webhooks")) {
            requireMethod(method, "POST");
            JsonObject body = Json.parseObject(readBody(exchange));
            switch (path.get(2)) {
                case "drop" -> {
                    int count = count(body);
                    sandbox.dropNextWebhooks(count);
                    return Response.json(200, Json.object().add("dropNext", count).build());
                }
                case "duplicate" -> {
                    int count = count(body);
                    sandbox.duplicateNextWebhooks(count);
                    return Response.json(200, Json.object().add("duplicateNext", count).build());
                }
                case "hold" -> {
                    sandbox.holdWebhooks();
                    return Response.json(200, Json.object().add("holding", true).build());
                }
                case "release" -> {
                    boolean reverse = body.getBoolean("reverse", true);
                    int released = sandbox.releaseHeldWebhooks(reverse);
                    return Response.json(200, Json.object().add("released", released).add("reverse", reverse)
                            .build());
                }
                default -> {
                }
            }
        }
        if (path.size() == 3 && path.get(1).equals("faults")) {
            requireMethod(method, "POST");
            JsonObject body = Json.parseObject(readBody(exchange));
            switch (path.get(2)) {
                case "confirm-fail" -> {
                    int count = count(body);
                    sandbox.failNextConfirms(count);
                    return Response.json(200, Json.object().add("failNextConfirms", count).build());
                }
                case "confirm-hang" -> {
                    int count = count(body);
                    Duration duration = seconds(body);
                    sandbox.hangNextConfirms(count, duration);
                    return Response.json(200, Json.object().add("hangNextConfirms", count)
                            .add("seconds", duration.toMillis() / 1000.0).build());
                }
                default -> {
                }
            }
        }
        if (path.size() == 4 && path.get(1).equals("orders") && path.get(3).equals("approve")) {
            requireMethod(method, "POST");
            JsonObject body = Json.parseObject(readBody(exchange));
            Long amount = Json.optionalAmount(body, "amount");
            Payment payment = amount == null ? sandbox.approveOrder(path.get(2))
                    : sandbox.approveOrder(path.get(2), Json.requiredString(body, "orderName"), amount);
            return Response.json(200, payment.json());
        }
        if (path.size() == 4 && path.get(1).equals("payments")) {
            requireMethod(method, "POST");
            switch (path.get(3)) {
                case "abort" -> {
                    return Response.json(200, sandbox.abort(path.get(2)).json());
                }
                case "expire" -> {
                    return Response.json(200, sandbox.expire(path.get(2)).json());
                }
                default -> {
                }
            }
        }
        throw notFound();
    }

    private JsonObject webhooksJson() {
        JsonArrayBuilder events = Json.array();
        for (WebhookEvent event : sandbox.webhookEvents()) {
            events.add(Json.object()
                    .add("transmissionId", event.transmissionId())
                    .add("eventType", event.eventType())
                    .add("createdAt", event.createdAt())
                    .add("paymentKey", event.paymentKey())
                    .add("orderId", event.orderId())
                    .add("paymentStatus", event.paymentStatus().name())
                    .add("state", event.state().name())
                    .add("copies", event.copies()));
        }
        JsonArrayBuilder deliveries = Json.array();
        for (WebhookDelivery delivery : sandbox.webhookDeliveries()) {
            JsonObjectBuilder json = Json.object()
                    .add("transmissionId", delivery.transmissionId())
                    .add("paymentKey", delivery.paymentKey())
                    .add("orderId", delivery.orderId())
                    .add("paymentStatus", delivery.paymentStatus().name())
                    .add("copy", delivery.copy())
                    .add("attempt", delivery.attempt())
                    .add("transmissionTime", delivery.transmissionTime())
                    .add("httpStatus", delivery.httpStatus());
            Json.add(json, "error", delivery.error()).add("finishedAt", delivery.finishedAt().toString());
            deliveries.add(json);
        }
        return Json.object().add("webhookUrl", settings.webhookUrl()).add("events", events)
                .add("deliveries", deliveries).build();
    }

    private static int count(JsonObject body) {
        Long count = Json.optionalAmount(body, "count");
        if (count == null) {
            return 1;
        }
        if (count > 1000) {
            throw Json.invalid("count must be 1-1000");
        }
        return count.intValue();
    }

    private static Duration seconds(JsonObject body) {
        JsonValue value = body.get("seconds");
        if (!(value instanceof jakarta.json.JsonNumber number) || number.doubleValue() <= 0
                || number.doubleValue() > 600) {
            throw Json.invalid("seconds must be a number in (0, 600]");
        }
        return Duration.ofMillis(Math.round(number.doubleValue() * 1000));
    }

    // ---------------------------------------------------------------- plumbing

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new SandboxException(405, "METHOD_NOT_ALLOWED", "use " + expected);
        }
    }

    private static SandboxException notFound() {
        return new SandboxException(404, "NOT_FOUND", "존재하지 않는 정보 입니다. (no such path)");
    }

    /** The decoded path segments ({@code /v1/payments/a%2Fb} → v1, payments, a/b); empty for {@code /}. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(decode(segment.replace("+", "%2B")));
            }
        }
        return segments;
    }

    /** {@code a=1&b=x%20y} (a query or a form body); the first of repeated names wins. */
    static Map<String, String> parseForm(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Json.invalid("malformed percent-encoding");
        }
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw Json.invalid("the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}

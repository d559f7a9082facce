package io.pawfiler.paymentsandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpServer;

/**
 * A payment provider sandbox that speaks enough of Toss Payments' server API (v1) for a real Toss adapter to run
 * against it end to end on loopback: a checkout page, confirm, cancel, lookups, signed {@code PAYMENT_STATUS_CHANGED}
 * webhooks with retries, and test controls. In memory, thread-safe, NOT a payment provider (README.md).
 *
 * <pre>{@code
 * try (SandboxProvider toss = SandboxProvider.start(Settings.builder()
 *         .secretKey("test_sk_local").webhookUrl("http://127.0.0.1:8085/payments/webhooks/toss")
 *         .webhookSecret("whsec").build())) {
 *     String checkout = toss.checkoutUrl("order-0001", 9900, "Premium 1 month", null, successUrl, failUrl);
 *     toss.dropNextWebhooks(1);  // and so on: the controls below
 * }
 * }</pre>
 *
 * <p>Run alone ({@code ./pawfiler up} does, in its own JVM): {@code java -cp ... io.pawfiler.paymentsandbox.SandboxProvider}
 * with the {@code PAWFILER_PAYMENT_SANDBOX_*} variables of {@link Settings#fromEnvironment}.
 */
public final class SandboxProvider implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SandboxProvider.class.getName());

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService requestThreads;
    private final WebhookDispatcher webhooks;
    private final Ledger ledger;
    private final Idempotency idempotency = new Idempotency();
    private final String baseUrl;
    private volatile long readyAtMillis;

    // guarded by this
    private int failNextConfirms;
    private int hangNextConfirms;
    private Duration hangFor = Duration.ZERO;

    /** What the next confirm call suffers: a 500 without processing, or an answer held back after processing. */
    record ConfirmFault(boolean fail, Duration hang) {
        static final ConfirmFault NONE = new ConfirmFault(false, Duration.ZERO);
    }

    private SandboxProvider(Settings settings) throws IOException {
        this.settings = settings;
        // first: a taken port fails here, before anything else was started
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.bindHost()),
                settings.port()), 64);
        Clock clock = Clock.systemUTC();
        this.webhooks = new WebhookDispatcher(settings, clock);
        this.ledger = new Ledger(settings, clock, webhooks::publish);
        this.requestThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("payment-sandbox-", 0)
                .factory());
        server.setExecutor(requestThreads);
        InetAddress bound = server.getAddress().getAddress();
        this.baseUrl = "http://" + (bound.isAnyLocalAddress() || bound.isLoopbackAddress() ? "127.0.0.1"
                : bound.getHostAddress()) + ":" + server.getAddress().getPort();
        server.createContext("/", new HttpApi(this, settings, ledger, idempotency));
    }

    /** Starts the sandbox on {@link Settings#bindHost()} (127.0.0.1 by default) and {@link Settings#port()}. */
    public static SandboxProvider start(Settings settings) throws IOException {
        SandboxProvider sandbox = new SandboxProvider(Objects.requireNonNull(settings, "settings"));
        try {
            sandbox.server.start();
            sandbox.readyAtMillis = System.currentTimeMillis();
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        LOG.info(() -> "payment sandbox on " + sandbox.baseUrl + (settings.webhookUrl().isEmpty()
                ? ", no webhooks" : ", webhooks to " + settings.webhookUrl()));
        return sandbox;
    }

    /** {@code http://127.0.0.1:<port>}: the Toss API base URL (where {@code /v1/...} lives). */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Settings settings() {
        return settings;
    }

    /** {@code <baseUrl>/checkout}: where the shop sends the customer, with the order in the query. */
    public String checkoutUrl() {
        return baseUrl + "/checkout";
    }

    /** The checkout page of one order ({@code customerKey} may be null). */
    public String checkoutUrl(String orderId, long amount, String orderName, String customerKey, String successUrl,
                              String failUrl) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("orderId", orderId);
        query.put("amount", String.valueOf(amount));
        query.put("orderName", orderName);
        if (customerKey != null) {
            query.put("customerKey", customerKey);
        }
        query.put("successUrl", successUrl);
        query.put("failUrl", failUrl);
        StringBuilder url = new StringBuilder(checkoutUrl());
        char separator = '?';
        for (Map.Entry<String, String> entry : query.entrySet()) {
            url.append(separator).append(entry.getKey()).append('=')
                    .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return url.toString();
    }

    /** {@code Basic base64(secretKey + ":")} for the first configured secret key. */
    public String authorizationHeader() {
        return basicAuthorization(settings.secretKeys().getFirst());
    }

    /** {@code Basic base64(secretKey + ":")}: how Toss's API authenticates a shop. */
    public static String basicAuthorization(String secretKey) {
        return "Basic " + Base64.getEncoder().encodeToString((secretKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- payments

    /** What pressing "pay" on the checkout page does, without the page: a new IN_PROGRESS payment. */
    public Payment createPayment(String orderId, String orderName, long amount, String customerKey) {
        return ledger.authorize(new Ledger.Order(orderId, orderName, amount, customerKey));
    }

    /** @throws SandboxException 404 {@code NOT_FOUND_PAYMENT} */
    public Payment payment(String paymentKey) {
        return ledger.get(paymentKey);
    }

    public Optional<Payment> findPayment(String paymentKey) {
        try {
            return Optional.of(ledger.get(paymentKey));
        } catch (SandboxException e) {
            return Optional.empty();
        }
    }

    /** @throws SandboxException 404 {@code NOT_FOUND_PAYMENT} */
    public Payment paymentByOrderId(String orderId) {
        return ledger.getByOrderId(orderId);
    }

    /** Every payment, oldest first. */
    public List<Payment> payments() {
        return ledger.all();
    }

    // ---------------------------------------------------------------- controls (also under /sandbox)

    /**
     * The provider settles the order's IN_PROGRESS payment by itself, as if the confirm had happened but its answer
     * (or the customer's redirect) was lost: status DONE and a webhook, no confirm call. For "webhook only" tests.
     *
     * @throws SandboxException 404 {@code NOT_FOUND_PAYMENT} (no payment for the order),
     *                          400 {@code ALREADY_PROCESSED_PAYMENT} (not IN_PROGRESS)
     */
    public Payment approveOrder(String orderId) {
        return ledger.settle(orderId, null);
    }

    /** {@link #approveOrder(String)}, creating the payment first if the order has none. */
    public Payment approveOrder(String orderId, String orderName, long amount) {
        return ledger.settle(orderId, new Ledger.Order(orderId, orderName, amount, null));
    }

    /** The approval of an IN_PROGRESS payment failed: status ABORTED and a webhook. */
    public Payment abort(String paymentKey) {
        return ledger.fail(paymentKey, PaymentStatus.ABORTED);
    }

    /** An IN_PROGRESS payment was not confirmed in time: status EXPIRED and a webhook. */
    public Payment expire(String paymentKey) {
        return ledger.fail(paymentKey, PaymentStatus.EXPIRED);
    }

    /** The next {@code count} webhook events are lost: never sent, not retried (state DROPPED). */
    public void dropNextWebhooks(int count) {
        webhooks.dropNext(count);
    }

    /** The next {@code count} events are each sent twice (same transmission id; each copy retried on its own). */
    public void duplicateNextWebhooks(int count) {
        webhooks.duplicateNext(count);
    }

    /** From now on events are parked (state HELD) until {@link #releaseHeldWebhooks}. */
    public void holdWebhooks() {
        webhooks.hold();
    }

    /**
     * Stops holding and sends the parked events, newest first when {@code reverse} (out-of-order delivery): their
     * first attempts leave one after the other in that order. Returns how many were released.
     */
    public int releaseHeldWebhooks(boolean reverse) {
        return webhooks.release(reverse);
    }

    /** The next {@code count} confirm calls answer 500 {@code FAILED_INTERNAL_SYSTEM_PROCESSING} and change nothing. */
    public synchronized void failNextConfirms(int count) {
        if (count < 0) {
            throw Json.invalid("count must not be negative");
        }
        failNextConfirms = count;
    }

    /**
     * The next {@code count} confirm calls are processed at once (the payment is DONE, an Idempotency-Key answer is
     * kept) but their answer is held back for {@code duration}: the caller times out while the provider approved.
     */
    public synchronized void hangNextConfirms(int count, Duration duration) {
        if (count < 0 || duration.isNegative()) {
            throw Json.invalid("count and duration must not be negative");
        }
        hangNextConfirms = count;
        hangFor = duration;
    }

    /** When it started serving (epoch milliseconds), as {@code /sandbox/health} reports it. */
    long readyAtMillis() {
        return readyAtMillis;
    }

    synchronized ConfirmFault takeConfirmFault() {
        if (failNextConfirms > 0) {
            failNextConfirms--;
            return new ConfirmFault(true, Duration.ZERO);
        }
        if (hangNextConfirms > 0) {
            hangNextConfirms--;
            return new ConfirmFault(false, hangFor);
        }
        return ConfirmFault.NONE;
    }

    /** Every webhook event produced so far, oldest first, with what became of it. */
    public List<WebhookEvent> webhookEvents() {
        return webhooks.events();
    }

    /** Every HTTP attempt to deliver a webhook, in the order they finished. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** Waits until no webhook is being sent or waiting for a retry (held ones do not count); false on timeout. */
    public boolean awaitWebhooksIdle(Duration timeout) throws InterruptedException {
        return webhooks.awaitIdle(timeout);
    }

    /** Forgets every payment, idempotency key, webhook record and control (deliveries under way still finish). */
    public void reset() {
        synchronized (this) {
            failNextConfirms = 0;
            hangNextConfirms = 0;
            hangFor = Duration.ZERO;
        }
        ledger.clear();
        idempotency.clear();
        webhooks.clear();
    }

    /** Stops serving at once (a hanging confirm is cut off) and stops sending webhooks. */
    @Override
    public void close() {
        server.stop(0);
        requestThreads.shutdownNow();
        webhooks.close();
    }

    /**
     * Runs the sandbox until the JVM is stopped, configured by {@link Settings#fromEnvironment} (without
     * {@code PAWFILER_PAYMENT_SANDBOX_SECRET_KEYS} a random key is made and printed). {@code --exit-on-stdin-eof}:
     * exit when standard input closes, i.e. when the parent that started this JVM is gone.
     */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        if (env.getOrDefault(Settings.ENV_SECRET_KEYS, "").isBlank()) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String key = "test_sk_sandbox_" + HexFormat.of().formatHex(random);
            env.put(Settings.ENV_SECRET_KEYS, key);
            System.out.println("No " + Settings.ENV_SECRET_KEYS + ": accepting the secret key " + key);
        }
        SandboxProvider sandbox = start(Settings.fromEnvironment(env));
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "payment-sandbox-stop"));
        System.out.println("payment-sandbox listening on " + sandbox.baseUrl() + " (checkout "
                + sandbox.checkoutUrl() + ", webhooks " + (sandbox.settings().webhookUrl().isEmpty() ? "off"
                : "to " + sandbox.settings().webhookUrl()) + ")");
        if (Arrays.asList(args).contains("--exit-on-stdin-eof")) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() != -1) {
                        // the parent never writes; EOF means it is gone
                    }
                } catch (IOException e) {
                    // closed: the same
                }
                System.exit(0);
            }, "payment-sandbox-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        Thread.currentThread().join();
    }
}

package io.pawfiler.paymentsandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;

/**
 * Sends {@code PAYMENT_STATUS_CHANGED} webhooks from one background thread, so first attempts leave in the order
 * the changes happened (unless held and released reversed) and the API call that caused a change never waits for
 * the receiver. A copy that gets no 2xx (or no answer) is retried after each of the configured delays, then given
 * up. Everything sent is recorded for assertions.
 */
final class WebhookDispatcher implements AutoCloseable {

    static final String EVENT_TYPE = "PAYMENT_STATUS_CHANGED";
    /** Toss's documented createdAt format: local (Korea) time, milliseconds, no offset. */
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());

    private final Settings settings;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService sender;

    // guarded by this
    private final List<Event> events = new ArrayList<>();
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private final List<Event> held = new ArrayList<>();
    private boolean holding;
    private int dropNext;
    private int duplicateNext;
    /** Copies being sent or waiting for a retry. */
    private int pending;
    private volatile boolean closed;

    WebhookDispatcher(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "payment-sandbox-webhooks");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.sender = executor;
    }

    /** A payment changed status: record the event and send it (unless dropped, held or there is no URL). */
    synchronized void publish(JsonObject payment) {
        String createdAt = CREATED_AT.format(LocalDateTime.now(clock.withZone(Ledger.ZONE)));
        String body = Json.object()
                .add("eventType", EVENT_TYPE)
                .add("createdAt", createdAt)
                .add("data", payment)
                .build()
                .toString();
        Event event = new Event(UUID.randomUUID().toString(), payment.getString("paymentKey"),
                payment.getString("orderId"), PaymentStatus.valueOf(payment.getString("status")),
                createdAt, body);
        events.add(event);
        if (settings.webhookUrl().isEmpty()) {
            event.state = WebhookEvent.State.NOT_SENT;
            return;
        }
        if (dropNext > 0) {
            dropNext--;
            event.state = WebhookEvent.State.DROPPED;
            LOG.info(() -> "webhook " + event.transmissionId + " (" + event.paymentStatus + " " + event.orderId
                    + ") dropped on purpose");
            return;
        }
        if (duplicateNext > 0) {
            duplicateNext--;
            event.copies = 2;
        }
        if (holding) {
            event.state = WebhookEvent.State.HELD;
            held.add(event);
            return;
        }
        dispatch(event);
    }

    synchronized void dropNext(int count) {
        requireNonNegative(count);
        dropNext = count;
    }

    synchronized void duplicateNext(int count) {
        requireNonNegative(count);
        duplicateNext = count;
    }

    synchronized void hold() {
        holding = true;
    }

    /** Stops holding and sends what was held, newest first when {@code reverse}; returns how many. */
    synchronized int release(boolean reverse) {
        holding = false;
        List<Event> toSend = new ArrayList<>(held);
        held.clear();
        if (reverse) {
            Collections.reverse(toSend);
        }
        for (Event event : toSend) {
            dispatch(event);
        }
        return toSend.size();
    }

    synchronized List<WebhookEvent> events() {
        List<WebhookEvent> list = new ArrayList<>();
        for (Event event : events) {
            list.add(event.view());
        }
        return list;
    }

    synchronized List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Waits until no copy is being sent or waiting for a retry (held events do not count); false on timeout. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Forgets every event and delivery and every control; copies already scheduled still go out. */
    synchronized void clear() {
        events.clear();
        deliveries.clear();
        held.clear();
        holding = false;
        dropNext = 0;
        duplicateNext = 0;
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        client.shutdownNow();
    }

    private void dispatch(Event event) {
        event.state = WebhookEvent.State.PENDING;
        for (int copy = 1; copy <= event.copies; copy++) {
            event.unfinished++;
            pending++;
            int thisCopy = copy;
            schedule(() -> attempt(event, thisCopy, 1), Duration.ZERO);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            sender.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing is sent any more
        }
    }

    /** Runs on the sender thread, outside the lock while the HTTP exchange is under way. */
    private void attempt(Event event, int copy, int attempt) {
        long transmissionTime = clock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
                .timeout(settings.webhookTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "pawfiler-payment-sandbox")
                .header(WebhookSignature.TRANSMISSION_ID_HEADER, event.transmissionId)
                .header(WebhookSignature.TRANSMISSION_TIME_HEADER, String.valueOf(transmissionTime))
                .header(WebhookSignature.RETRIED_COUNT_HEADER, String.valueOf(attempt - 1))
                .POST(HttpRequest.BodyPublishers.ofString(event.body));
        if (!settings.webhookSecret().isEmpty()) {
            request.header(WebhookSignature.SIGNATURE_HEADER,
                    WebhookSignature.sign(settings.webhookSecret(), transmissionTime, event.body));
        }
        int status;
        String error = null;
        try {
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = -1;
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closed) {
            return;  // cut off by close(): not the receiver's doing
        }
        WebhookDelivery delivery = new WebhookDelivery(event.transmissionId, event.paymentKey, event.orderId,
                event.paymentStatus, copy, attempt, transmissionTime, status, error, clock.instant());
        boolean retry = false;
        synchronized (this) {
            deliveries.add(delivery);
            if (delivery.succeeded()) {
                finish(event, false);
            } else if (attempt < settings.webhookAttempts()) {
                retry = true;
            } else {
                finish(event, true);
            }
        }
        int finalStatus = status;
        String finalError = error;
        LOG.log(delivery.succeeded() ? Level.INFO : Level.WARNING, () -> "webhook " + event.transmissionId + " ("
                + event.paymentStatus + " " + event.orderId + ") copy " + copy + " attempt " + attempt + "/"
                + settings.webhookAttempts() + ": " + (finalStatus == -1 ? finalError : "HTTP " + finalStatus));
        if (retry) {
            schedule(() -> attempt(event, copy, attempt + 1), settings.webhookRetryDelays().get(attempt - 1));
        }
    }

    private void finish(Event event, boolean gaveUp) {
        event.failed |= gaveUp;
        if (--event.unfinished == 0) {
            event.state = event.failed ? WebhookEvent.State.FAILED : WebhookEvent.State.DELIVERED;
        }
        pending--;
        notifyAll();
    }

    private static void requireNonNegative(int count) {
        if (count < 0) {
            throw new SandboxException(400, "INVALID_REQUEST", "count must not be negative");
        }
    }

    /** Guarded by the dispatcher's lock. */
    private static final class Event {
        final String transmissionId;
        final String paymentKey;
        final String orderId;
        final PaymentStatus paymentStatus;
        final String createdAt;
        final String body;
        WebhookEvent.State state = WebhookEvent.State.PENDING;
        int copies = 1;
        int unfinished;
        boolean failed;

        Event(String transmissionId, String paymentKey, String orderId, PaymentStatus paymentStatus,
              String createdAt, String body) {
            this.transmissionId = transmissionId;
            this.paymentKey = paymentKey;
            this.orderId = orderId;
            this.paymentStatus = paymentStatus;
            this.createdAt = createdAt;
            this.body = body;
        }

        WebhookEvent view() {
            return new WebhookEvent(transmissionId, EVENT_TYPE, createdAt, paymentKey, orderId, paymentStatus,
                    state, copies, body);
        }
    }
}

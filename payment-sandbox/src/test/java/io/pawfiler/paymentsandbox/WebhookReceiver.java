package io.pawfiler.paymentsandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/** A tiny webhook endpoint on loopback: records every request and answers with scripted status codes (else 200). */
final class WebhookReceiver implements AutoCloseable {

    record Received(String transmissionId, String transmissionTime, String signature, String retriedCount,
                    String contentType, String body, Instant at) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newSingleThreadExecutor();
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private int defaultStatus = 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/payments/webhooks/toss", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status;
            synchronized (this) {
                received.add(new Received(
                        exchange.getRequestHeaders().getFirst(WebhookSignature.TRANSMISSION_ID_HEADER),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.TRANSMISSION_TIME_HEADER),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.RETRIED_COUNT_HEADER),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, Instant.now()));
                status = script.isEmpty() ? defaultStatus : script.poll();
                notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/payments/webhooks/toss";
    }

    /** The next requests are answered with these statuses, in order. */
    synchronized WebhookReceiver answer(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    synchronized WebhookReceiver answerByDefault(int status) {
        defaultStatus = status;
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} requests arrived; returns them all. */
    synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " webhooks, got " + received.size() + ": " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

package io.pawfiler.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One open-loop request stream: request i is due at {@code start + i / rate}, whatever happened to earlier ones,
 * and its latency runs from that intended time, not from when it was actually sent. A stalled server or a late
 * scheduler therefore shows up as latency instead of silently lowering the offered load (coordinated omission).
 * The scheduler thread only starts async calls; completions are recorded on gRPC's threads.
 */
final class OpenLoopStream {

    /** Starts request {@code i} asynchronously and reports its end to {@code done}. Must not block. */
    interface Call {
        void start(long i, Done done);
    }

    /** Where a call reports its outcome: "OK", a gRPC status code name, or another failure name. */
    interface Done {
        void finish(String outcome, String detail);
    }

    final String name;
    private final Call call;
    private final long startNanos;
    private final long periodNanosTimes1000;
    private final long warmupRequests;
    private final long totalRequests;
    private final long windowStart;
    private final long windowEnd;

    /** Microseconds from intended start to completion, measured requests only (successes and failures). */
    final Histogram latency = new ConcurrentHistogram(3);
    /** Microseconds the scheduler sent late (part of {@link #latency}; large values mean the client is the limit). */
    final Histogram sendLag = new ConcurrentHistogram(3);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    /** Successful completions (of any request) that landed inside the measured window. */
    final LongAdder okInWindow = new LongAdder();
    final LongAdder warmupFailures = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, String> firstErrorDetail = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong maxInFlight = new AtomicLong();
    private final Thread scheduler;

    /**
     * @param startNanos     intended start of request 0 ({@link System#nanoTime()} clock)
     * @param offsetFraction shifts this stream by a fraction of one period, to interleave it with another
     */
    OpenLoopStream(String name, int rate, long startNanos, double offsetFraction, int warmupSeconds,
                   int durationSeconds, Call call) {
        this.name = name;
        this.call = call;
        // period * 1000 keeps sub-nanosecond precision for rates that do not divide 1e9
        this.periodNanosTimes1000 = 1_000_000_000_000L / rate;
        this.startNanos = startNanos + (long) (offsetFraction * periodNanosTimes1000 / 1000);
        this.warmupRequests = (long) warmupSeconds * rate;
        this.totalRequests = (long) (warmupSeconds + durationSeconds) * rate;
        this.windowStart = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.windowEnd = windowStart + TimeUnit.SECONDS.toNanos(durationSeconds);
        this.scheduler = Thread.ofPlatform().name("open-loop-" + name).daemon().unstarted(this::schedule);
        this.scheduler.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        scheduler.start();
    }

    /** Waits until every request was sent and has finished, or {@code graceNanos} after the last one was due. */
    void awaitCompletion(long graceNanos) throws InterruptedException {
        scheduler.join();
        long giveUp = System.nanoTime() + graceNanos;
        while (inFlight.get() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
    }

    long stillInFlight() {
        return inFlight.get();
    }

    long maxInFlight() {
        return maxInFlight.get();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errorsByCode() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((code, count) -> sorted.put(code, count.sum()));
        return sorted;
    }

    private void schedule() {
        for (long i = 0; i < totalRequests; i++) {
            long intended = startNanos + i * periodNanosTimes1000 / 1000;
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            boolean measured = i >= warmupRequests;
            if (measured) {
                sent.increment();
                sendLag.recordValue((now - intended) / 1000);
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Done done = (outcome, detail) -> finished(intended, measured, outcome, detail);
            try {
                call.start(i, done);
            } catch (RuntimeException e) {
                done.finish("CLIENT_" + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            }
        }
    }

    private void finished(long intended, boolean measured, String outcome, String detail) {
        long now = System.nanoTime();
        inFlight.decrementAndGet();
        boolean success = outcome.equals("OK");
        if (success && now >= windowStart && now < windowEnd) {
            okInWindow.increment();
        }
        if (!measured) {
            if (!success) {
                warmupFailures.increment();
            }
            return;
        }
        latency.recordValue(Math.max(0, now - intended) / 1000);
        if (success) {
            ok.increment();
        } else {
            errors.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            firstErrorDetail.putIfAbsent(outcome, detail == null ? "" : detail);
        }
    }

    /** Adapts a gRPC async call's observer to {@link Done}: one outcome per call, the response is dropped. */
    static <T> StreamObserver<T> observer(Done done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                done.finish(status.getCode().name(), status.getDescription());
            }

            @Override
            public void onCompleted() {
                done.finish("OK", null);
            }
        };
    }
}

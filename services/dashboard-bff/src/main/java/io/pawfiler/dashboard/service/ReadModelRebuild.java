package io.pawfiler.dashboard.service;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.dashboard.events.RebuildGate;
import io.pawfiler.dashboard.replay.EventReplay;
import io.pawfiler.dashboard.store.ShadowSchema;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.events.EventType;

/**
 * Rebuilds the read model from the topics while the service keeps answering from the current one:
 * <ol>
 * <li>fresh tables in a shadow schema;</li>
 * <li>every topic replayed from its earliest offset up to the end offsets of the moment, into the shadow tables;</li>
 * <li>live consumption paused (the {@link RebuildGate}), the records written meanwhile replayed too, and the shadow
 *     tables swapped in in one transaction; live consumption resumes on the new tables, whose inbox knows every event
 *     the replay applied, so nothing is applied twice.</li>
 * </ol>
 * One rebuild at a time; it runs in the background and reports through {@link #status()}.
 */
@ApplicationScoped
public class ReadModelRebuild {

    private static final System.Logger LOGGER = System.getLogger(ReadModelRebuild.class.getName());

    public enum State { IDLE, RUNNING, SUCCEEDED, FAILED }

    /** @param eventsApplied events applied to the new tables so far; @param error why it failed */
    public record Status(State state, Instant startedAt, Instant finishedAt, long eventsApplied, String error) {
    }

    @Inject
    ShadowSchema shadow;

    @Inject
    RebuildBatches batches;

    @Inject
    EventReplay replay;

    @Inject
    RebuildGate gate;

    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.IDLE, null, null, 0, null));
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dashboard-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public Status status() {
        return status.get();
    }

    /** @throws ApiException FAILED_PRECONDITION while another rebuild runs */
    public Status start() {
        Status current = status.get();
        Status running = new Status(State.RUNNING, clock.instant(), null, 0, null);
        if (current.state() == State.RUNNING || !status.compareAndSet(current, running)) {
            throw ApiException.failedPrecondition("a rebuild is already running (started " + current.startedAt() + ")");
        }
        worker.execute(() -> run(running.startedAt()));
        return running;
    }

    private void run(Instant startedAt) {
        AtomicLong applied = new AtomicLong();
        try {
            shadow.create();
            try (EventReplay.Session session = replay.open(Projector.CONSUMED.stream().map(EventType::topic).toList())) {
                session.readToEnd(records -> progress(startedAt, applied.addAndGet(batches.apply(records))));
                gate.exclusive(() -> {
                    session.readToEnd(records -> progress(startedAt, applied.addAndGet(batches.apply(records))));
                    shadow.swapIn();
                    return null;
                });
            }
            status.set(new Status(State.SUCCEEDED, startedAt, clock.instant(), applied.get(), null));
            LOGGER.log(System.Logger.Level.INFO, () -> "read model rebuilt from " + applied.get() + " events");
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.ERROR, "read model rebuild failed; the current tables stay", e);
            try {
                shadow.drop();
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            status.set(new Status(State.FAILED, startedAt, clock.instant(), applied.get(), String.valueOf(e.getMessage())));
        }
    }

    private void progress(Instant startedAt, long applied) {
        status.set(new Status(State.RUNNING, startedAt, null, applied, null));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}

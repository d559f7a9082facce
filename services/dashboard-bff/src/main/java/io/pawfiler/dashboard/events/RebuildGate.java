package io.pawfiler.dashboard.events;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Live consumption holds the gate shared; a rebuild's last catch-up and swap hold it exclusively, so no live event
 * is applied to the tables being swapped away while the shadow ones take their place.
 */
@ApplicationScoped
public class RebuildGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    public <T> T live(Supplier<T> consumption) {
        lock.readLock().lock();
        try {
            return consumption.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} while no live event is being applied. */
    public <T> T exclusive(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}

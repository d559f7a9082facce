package io.pawfiler.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the service's database answers, known at all times without waiting for it.
 *
 * <p>A monitor thread keeps one connection of its own (outside the pool) and runs {@code SELECT 1} on it every
 * {@code pawfiler.db.probe-interval}; a probe that fails, or takes longer than the probe timeout, marks the database
 * down, and the monitor reconnects at the same pace until a probe succeeds. While it is down, requests are refused
 * at once (UNAVAILABLE / 503 with a retry delay, see {@code DatabaseGate}), readiness is DOWN, and event consumers
 * hold their event instead of dead-lettering it — rather than every call waiting for the pool's connection timeout
 * and failing as an internal error. Nothing else changes: when a probe succeeds again the pool reconnects by itself.
 */
@ApplicationScoped
public class DatabaseAvailability {

    private static final System.Logger LOGGER = System.getLogger(DatabaseAvailability.class.getName());

    private final DirectConnections connections;
    private final DataSource pool;
    private final Duration probeInterval;
    private final Duration retryAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private volatile Instant downSince;
    private volatile String reason;
    private volatile boolean running;
    private Thread monitor;
    private Connection connection;

    @Inject
    DatabaseAvailability(DirectConnections connections, @Named(DatabaseMigration.DATASOURCE) DataSource pool,
                         @ConfigProperty(name = "pawfiler.db.probe-interval", defaultValue = "PT0.5S") Duration probeInterval,
                         @ConfigProperty(name = "pawfiler.db.retry-after", defaultValue = "PT2S") Duration retryAfter) {
        this.connections = connections;
        this.pool = pool;
        this.probeInterval = probeInterval;
        this.retryAfter = retryAfter;
    }

    /** Starts probing once the schema exists (the migration proved the database reachable at start). */
    synchronized void start(@Observes DatabaseMigration.Completed migrated) {
        if (running) {
            return;
        }
        running = true;
        monitor = new Thread(this::run, "database-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (monitor != null) {
            monitor.interrupt();
        }
    }

    /** True while the last probe failed. */
    public boolean isDown() {
        return downSince != null;
    }

    /** Why the last probe failed (for health data and logs). */
    public String reason() {
        return reason;
    }

    /** How long a refused caller should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Waits until the database is up again, at most {@code timeout}.
     *
     * @return true if it is up
     */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (isDown() && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return !isDown();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            probe();
            try {
                Thread.sleep(probeInterval.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
        closeConnection();
    }

    private void probe() {
        try {
            if (connection == null) {
                connection = connections.open("pawfiler-database-monitor");
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, connections.timeout().toSeconds()));
                statement.execute("SELECT 1");
            }
            if (isDown()) {
                // The server answers again; requests may pass once the pool has a live connection (its reconnect
                // backs off up to seconds): until then they are refused at once, not left to wait for the pool.
                try (Connection pooled = pool.getConnection()) {
                    if (!pooled.isValid((int) Math.max(1, connections.timeout().toSeconds()))) {
                        throw new SQLException("the pool's connection is not valid yet");
                    }
                }
            }
            markUp();
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            markDown(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void closeConnection() {
        DirectConnections.closeQuietly(connection);
        connection = null;
    }

    private void markUp() {
        if (downSince == null) {
            return;
        }
        Duration outage = Duration.between(downSince, Instant.now());
        lock.lock();
        try {
            downSince = null;
            reason = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOGGER.log(System.Logger.Level.WARNING, "Database reachable again after " + outage.toMillis() + " ms");
    }

    private void markDown(String why) {
        reason = why;
        if (downSince != null) {
            return;
        }
        downSince = Instant.now();
        LOGGER.log(System.Logger.Level.WARNING, "Database unreachable, refusing requests until it answers: " + why);
    }
}

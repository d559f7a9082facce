package io.pawfiler.platform.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.pawfiler.platform.db.DirectConnections;

/**
 * Which instance of a service publishes its outbox, when several run on one database: the one whose session holds
 * the PostgreSQL advisory lock {@code (hashtext('pawfiler.outbox'), hashtext(<schema>))}. Only one relay then reads
 * and sends the rows, so events are neither sent twice nor reordered per key by two relays racing. When the leader
 * dies its session ends, PostgreSQL releases the lock, and a standby takes it within {@code pawfiler.outbox.leader-retry}.
 *
 * <p>A standby still hears its own commits: it passes them on as {@code NOTIFY pawfiler_outbox_<schema>}, which the
 * leader LISTENs to on its lock session, so an event written through any instance leaves within milliseconds, not a
 * polling interval. One thread owns the session (JDBC connections are not shared between threads).
 */
final class OutboxLeadership {

    private static final System.Logger LOGGER = System.getLogger(OutboxLeadership.class.getName());
    private static final Duration LEADER_CHECK = Duration.ofSeconds(5);

    private final DirectConnections connections;
    private final String schema;
    private final String channel;
    private final Duration retry;
    private final Runnable wakeRelay;
    private final Semaphore commitsToPass = new Semaphore(0);

    private volatile boolean leader;
    private volatile boolean running;
    private Thread thread;
    private Connection session;

    OutboxLeadership(DirectConnections connections, String schema, Duration retry, Runnable wakeRelay) {
        this.connections = connections;
        this.schema = schema;
        this.channel = "pawfiler_outbox_" + schema;
        this.retry = retry;
        this.wakeRelay = wakeRelay;
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "outbox-leadership");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        leader = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeSession();
    }

    /** True while this instance holds the lock: its relay may publish. */
    boolean isLeader() {
        return leader;
    }

    /** A transaction of this (standby) instance wrote to the outbox: tell the leader. */
    void passOnCommit() {
        commitsToPass.release();
    }

    private void run() {
        long nextCheck = 0;
        while (running) {
            try {
                if (session == null) {
                    session = connections.open("pawfiler-outbox-" + schema);
                }
                if (!leader) {
                    if (tryLock()) {
                        execute("LISTEN " + channel);
                        leader = true;
                        LOGGER.log(System.Logger.Level.INFO, "This instance now publishes the " + schema + " outbox");
                        wakeRelay.run(); // rows the previous leader left
                        continue;
                    }
                    // standby: pass on this instance's commits, try for the lock again now and then
                    if (commitsToPass.tryAcquire(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                        commitsToPass.drainPermits();
                        execute("NOTIFY " + channel);
                    }
                    continue;
                }
                PGNotification[] heard = session.unwrap(PGConnection.class).getNotifications(500);
                if (heard != null && heard.length > 0) {
                    wakeRelay.run();
                }
                if (System.nanoTime() > nextCheck) {
                    execute("SELECT 1"); // a session that died silently must not leave us believing we lead
                    nextCheck = System.nanoTime() + LEADER_CHECK.toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (leader) {
                    LOGGER.log(System.Logger.Level.WARNING, "Lost the " + schema + " outbox lock: " + e.getMessage());
                }
                leader = false;
                closeSession();
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private boolean tryLock() throws SQLException {
        try (Statement statement = session.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT pg_try_advisory_lock(hashtext('pawfiler.outbox'), hashtext('" + schema + "'))")) {
            return result.next() && result.getBoolean(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = session.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(retry.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void closeSession() {
        DirectConnections.closeQuietly(session);
        session = null;
    }
}

package io.pawfiler.platform.outbox;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.pawfiler.platform.db.DirectConnections;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances of one service on a real PostgreSQL: one publishes, the other hands it its commits and takes over. */
class OutboxLeadershipTest {

    private static final Duration RETRY = Duration.ofMillis(200);

    @Test
    void oneInstanceLeadsAStandbyPassesItsCommitsOnAndTakesOverWhenTheLeaderGoes() throws Exception {
        TestPostgres.Database database = TestPostgres.createDatabase("outboxleadership");
        DirectConnections connections = new DirectConnections(database.jdbcUrl(), database.user(),
                Optional.of(database.password()), Duration.ofSeconds(2));
        Semaphore firstWoken = new Semaphore(0);
        Semaphore secondWoken = new Semaphore(0);
        OutboxLeadership first = new OutboxLeadership(connections, "quiz", RETRY, firstWoken::release);
        OutboxLeadership second = new OutboxLeadership(connections, "quiz", RETRY, secondWoken::release);
        OutboxLeadership otherService = new OutboxLeadership(connections, "auth", RETRY, () -> { });
        try {
            first.start();
            assertTrue(eventually(first::isLeader), "the first instance leads");
            second.start();
            otherService.start();
            assertTrue(eventually(otherService::isLeader), "another service's outbox has a lock of its own");
            Thread.sleep(RETRY.multipliedBy(3).toMillis());
            assertFalse(second.isLeader(), "only one instance of a service publishes");

            firstWoken.drainPermits();
            second.passOnCommit();
            assertTrue(firstWoken.tryAcquire(2, TimeUnit.SECONDS), "the standby's commit woke the leader's relay");

            first.stop(); // its session ends, as when the process dies
            assertTrue(eventually(second::isLeader), "the standby took over");
            assertTrue(secondWoken.tryAcquire(2, TimeUnit.SECONDS), "and looked at once for rows left behind");
        } finally {
            first.stop();
            second.stop();
            otherService.stop();
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}

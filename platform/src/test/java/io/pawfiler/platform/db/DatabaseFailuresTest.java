package io.pawfiler.platform.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseFailuresTest {

    @Test
    void aLostOrRefusedConnectionIsConnectionLossWhereverItIsWrapped() {
        SQLException refused = new SQLException("Connection to localhost:5432 refused", "08001");
        assertTrue(DatabaseFailures.isConnectionLoss(refused));
        assertTrue(DatabaseFailures.isConnectionLoss(new PersistenceException(new RuntimeException(refused))));
        // the pool's timeout carries the last connection failure as its cause
        assertTrue(DatabaseFailures.isConnectionLoss(
                new SQLTransientConnectionException("pool - Connection is not available", "08001", refused)));
        assertTrue(DatabaseFailures.isConnectionLoss(new SQLException("terminating connection", "57P01")));
    }

    @Test
    void aPoolTimeoutUnderLoadIsTransientButNotALoss() {
        SQLTransientConnectionException busy = new SQLTransientConnectionException("pool - request timed out");
        assertFalse(DatabaseFailures.isConnectionLoss(busy));
        assertTrue(DatabaseFailures.isOverload(new PersistenceException(busy)));
        assertFalse(DatabaseFailures.isOverload(new SQLException("deadlock detected", "40P01")));
        assertTrue(DatabaseFailures.isTransient(new PersistenceException(busy)));
        assertTrue(DatabaseFailures.isTransient(new SQLException("canceling statement due to statement timeout", "57014")));
        assertTrue(DatabaseFailures.isTransient(new SQLException("deadlock detected", "40P01")));
    }

    @Test
    void theRequestsOwnErrorsAreNeither() {
        SQLException duplicate = new SQLException("duplicate key value", "23505");
        assertFalse(DatabaseFailures.isConnectionLoss(duplicate));
        assertFalse(DatabaseFailures.isTransient(duplicate));
        assertFalse(DatabaseFailures.isTransient(new IllegalArgumentException("bad payload")));
        assertFalse(DatabaseFailures.isTransient(new SQLException("no state")));
    }
}

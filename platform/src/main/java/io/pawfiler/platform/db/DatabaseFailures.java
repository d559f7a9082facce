package io.pawfiler.platform.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Predicate;

import io.pawfiler.platform.errors.ApiException;

/**
 * Which failures mean "the database is not reachable right now" rather than "this request is wrong": the caller
 * gets UNAVAILABLE / 503 with a retry hint, a consumer retries the event instead of dead-lettering it.
 */
public final class DatabaseFailures {

    /** The retry delay told to a caller whose request met a lost connection. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    private DatabaseFailures() {
    }

    /** What a caller gets while the database is unreachable: UNAVAILABLE / 503 with a retry delay. */
    public static ApiException unreachable(Duration retryAfter) {
        return ApiException.unavailable("the database is unreachable, retry later", retryAfter);
    }

    /**
     * True when {@code failure} or one of its causes is a lost or refused connection (SQLState class 08, also the
     * cause a pool gives its timeout when it could not connect), or a server shutting down or starting up
     * (57P01-57P03).
     */
    public static boolean isConnectionLoss(Throwable failure) {
        return anySqlState(failure, state -> state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    /**
     * True when the database is there but busy: no pool connection became free in time
     * ({@code pawfiler.db.connection-timeout-ms}), or PostgreSQL cancelled a statement that ran past
     * {@code pawfiler.db.statement-timeout-ms} (SQLState 57014).
     */
    public static boolean isOverload(Throwable failure) {
        return anyCause(failure, cause -> cause instanceof SQLTransientConnectionException)
                || anySqlState(failure, "57014"::equals);
    }

    /**
     * True when trying the same work again later can succeed: a connection loss, an overload, a serialization
     * failure or a deadlock (40001, 40P01).
     */
    public static boolean isTransient(Throwable failure) {
        return isConnectionLoss(failure) || isOverload(failure)
                || anySqlState(failure, state -> state.equals("40001") || state.equals("40P01"));
    }

    private static boolean anySqlState(Throwable failure, Predicate<String> state) {
        return anyCause(failure, cause -> cause instanceof SQLException sql && sql.getSQLState() != null
                && state.test(sql.getSQLState()));
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}

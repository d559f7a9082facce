package io.pawfiler.auth.store;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.pawfiler.auth.domain.LoginThrottlePolicy.State;

import static io.pawfiler.auth.store.User.utc;
import static io.pawfiler.platform.db.SqlTimes.instant;

/** Failed sign-in counters per normalised email (native SQL: a counter row needs no entity). */
@ApplicationScoped
public class LoginThrottleStore {

    @Inject
    EntityManager entityManager;

    public State read(String email) {
        return select(email, "");
    }

    /** Reads the row under a lock (creating it first) so concurrent failures are all counted. */
    public State readForUpdate(String email) {
        entityManager.createNativeQuery("""
                        INSERT INTO login_throttle (email, failed_attempts, window_started)
                        VALUES (?1, 0, ?2) ON CONFLICT (email) DO NOTHING""")
                .setParameter(1, email)
                .setParameter(2, utc(Instant.EPOCH))
                .executeUpdate();
        return select(email, " FOR UPDATE");
    }

    /** ({@code CAST}: a null parameter is bound untyped, and PostgreSQL will not assign varchar to timestamptz.) */
    public void write(String email, State state) {
        entityManager.createNativeQuery("""
                        UPDATE login_throttle SET failed_attempts = ?2, window_started = ?3,
                            locked_until = CAST(?4 AS TIMESTAMPTZ)
                        WHERE email = ?1""")
                .setParameter(1, email)
                .setParameter(2, state.failedAttempts())
                .setParameter(3, utc(state.windowStarted()))
                .setParameter(4, utc(state.lockedUntil()))
                .executeUpdate();
    }

    public void clear(String email) {
        entityManager.createNativeQuery("DELETE FROM login_throttle WHERE email = ?1")
                .setParameter(1, email)
                .executeUpdate();
    }

    private State select(String email, String lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                        "SELECT failed_attempts, window_started, locked_until FROM login_throttle WHERE email = ?1" + lock)
                .setParameter(1, email)
                .getResultList();
        if (rows.isEmpty()) {
            return State.NONE;
        }
        Object[] row = rows.get(0);
        return new State(((Number) row[0]).intValue(), instant(row[1]), row[2] == null ? null : instant(row[2]));
    }
}

package io.pawfiler.auth.tokens;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.db.DatabaseMigration;

/**
 * Makes sure a signing key exists before the server takes requests (right after the schema is migrated), then
 * re-checks on a schedule: rotation when due, and picking up keys another instance rotated.
 */
@ApplicationScoped
public class KeyMaintenance {

    private static final System.Logger LOGGER = System.getLogger(KeyMaintenance.class.getName());

    private final SigningKeys keys;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    @Inject
    KeyMaintenance(SigningKeys keys,
                   @ConfigProperty(name = "pawfiler.auth.keys.check-interval") Duration interval) {
        this.keys = keys;
        this.interval = interval;
    }

    void onMigrated(@Observes DatabaseMigration.Completed migrated) {
        SigningKeys.Ring ring = keys.maintain();
        LOGGER.log(System.Logger.Level.INFO, "signing with key " + ring.signing().getKeyID() + "; JWKS publishes "
                + ring.published().getKeys().size() + " keys");
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("signing-keys").factory());
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            keys.maintain();
        } catch (RuntimeException e) {
            // The ring in memory stays valid; the next check tries again.
            LOGGER.log(System.Logger.Level.WARNING, "signing key maintenance failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}

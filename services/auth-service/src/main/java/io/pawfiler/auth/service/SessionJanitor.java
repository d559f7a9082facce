package io.pawfiler.auth.service;

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
 * Deletes sessions whose refresh token expired more than a grace period ago: past that, they serve neither
 * refresh nor reuse detection, and the table would otherwise grow with every sign-in forever.
 */
@ApplicationScoped
public class SessionJanitor {

    private static final System.Logger LOGGER = System.getLogger(SessionJanitor.class.getName());

    private final SessionService sessions;
    private final Duration interval;
    private final Duration grace;
    private ScheduledExecutorService scheduler;

    @Inject
    SessionJanitor(SessionService sessions,
                   @ConfigProperty(name = "pawfiler.auth.sessions.purge-interval", defaultValue = "PT1H") Duration interval,
                   @ConfigProperty(name = "pawfiler.auth.sessions.purge-after", defaultValue = "P1D") Duration grace) {
        this.sessions = sessions;
        this.interval = interval;
        this.grace = grace;
    }

    void onMigrated(@Observes DatabaseMigration.Completed migrated) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("session-purge").factory());
        scheduler.scheduleWithFixedDelay(this::purge, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        try {
            int purged = sessions.purgeExpired(grace);
            if (purged > 0) {
                LOGGER.log(System.Logger.Level.INFO, "purged " + purged + " expired sessions");
            }
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "session purge failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}

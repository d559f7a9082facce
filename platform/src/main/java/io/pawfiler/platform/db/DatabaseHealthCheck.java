package io.pawfiler.platform.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the schema is migrated and the database answers. Reports what {@link DatabaseAvailability}'s monitor
 * last saw (at most a probe interval old), so the check answers at once even while the database is gone, instead
 * of waiting for a pool connection.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private final DatabaseMigration migration;
    private final DatabaseAvailability availability;

    @Inject
    DatabaseHealthCheck(DatabaseMigration migration, DatabaseAvailability availability) {
        this.migration = migration;
        this.availability = availability;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database").withData("schema", migration.schema());
        // Helidon runs checks once during start-up, before the migration: report that instead of querying.
        if (!migration.migrated()) {
            return response.down().withData("reason", "schema not migrated yet").build();
        }
        if (availability.isDown()) {
            return response.down().withData("reason", String.valueOf(availability.reason())).build();
        }
        return response.up().build();
    }
}

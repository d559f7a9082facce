package io.pawfiler.platform.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the schema is migrated and a connection answers. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private final DataSource dataSource;
    private final DatabaseMigration migration;

    @Inject
    DatabaseHealthCheck(@Named(DatabaseMigration.DATASOURCE) DataSource dataSource, DatabaseMigration migration) {
        this.dataSource = dataSource;
        this.migration = migration;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database").withData("schema", migration.schema());
        // Helidon runs checks once during start-up, before the migration: report that instead of querying.
        if (!migration.migrated()) {
            return response.down().withData("reason", "schema not migrated yet").build();
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? response.up().build()
                    : response.down().withData("reason", "connection not valid").build();
        } catch (SQLException e) {
            return response.down().withData("reason", e.getMessage()).build();
        }
    }
}

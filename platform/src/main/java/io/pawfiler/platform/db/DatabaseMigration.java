package io.pawfiler.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brings the service's own schema up to date with its Liquibase changelog ({@code db/<schema>/changelog.xml})
 * before anything else touches the database, then announces {@link Completed}.
 *
 * <p>Runs from an {@code @Initialized(ApplicationScoped)} observer at default priority: after the datasource
 * is ready, before the HTTP/gRPC server and the messaging channels start. A failed migration stops the start.
 */
@ApplicationScoped
public class DatabaseMigration {

    /** Datasource name every service configures ({@code javax.sql.DataSource.pawfiler.*}). */
    public static final String DATASOURCE = "pawfiler";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final System.Logger LOGGER = System.getLogger(DatabaseMigration.class.getName());

    private final DataSource dataSource;
    private final String schema;
    private final String changelog;
    private final Event<Completed> completed;
    private volatile boolean migrated;

    @Inject
    DatabaseMigration(@Named(DATASOURCE) DataSource dataSource,
                      @ConfigProperty(name = "pawfiler.db.schema") String schema,
                      @ConfigProperty(name = "pawfiler.db.changelog") Optional<String> changelog,
                      Event<Completed> completed) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("pawfiler.db.schema must match " + SCHEMA_NAME + ": " + schema);
        }
        this.dataSource = dataSource;
        this.schema = schema;
        this.changelog = changelog.filter(c -> !c.isBlank()).orElse("db/" + schema + "/changelog.xml");
        this.completed = completed;
    }

    void migrateOnStartup(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                // building an index on a big table takes longer than any request may (pawfiler.db.statement-timeout-ms)
                statement.execute("SET statement_timeout = 0");
            }
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(schema);
            database.setLiquibaseSchemaName(schema);
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(),
                            new ClassLoaderResourceAccessor(DatabaseMigration.class.getClassLoader())),
                    () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                            .execute());
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET statement_timeout");  // back to the pool with the requests' limit
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to migrate schema " + schema, e);
        } catch (Exception e) {
            throw new IllegalStateException("Migration of schema " + schema + " with " + changelog + " failed", e);
        }
        migrated = true;
        LOGGER.log(System.Logger.Level.INFO, () -> "Schema " + schema + " migrated in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        completed.fire(new Completed(schema));
    }

    /** True once the changelog has been applied; readiness and the outbox relay wait for it. */
    public boolean migrated() {
        return migrated;
    }

    public String schema() {
        return schema;
    }

    /** Announced once the schema is up to date. */
    public record Completed(String schema) {
    }
}

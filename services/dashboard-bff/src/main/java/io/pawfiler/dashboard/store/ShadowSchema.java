package io.pawfiler.dashboard.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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
 * The rebuild's fresh tables: a shadow schema ({@code <schema>_rebuild}) built by the read model's own changesets
 * ({@code db/dashboard/rebuild.xml}, the same files the live schema was built from, so the same tables and index
 * names), filled through the same store code by setting the transaction's search path to it, then moved in.
 */
@ApplicationScoped
public class ShadowSchema {

    /** The read model (with its inbox of applied event ids): what a rebuild replaces. Grants and the outbox stay. */
    public static final List<String> READ_MODEL_TABLES = List.of("users", "game_progress", "quiz_stats", "analyses",
            "subscriptions", "daily_tallies", "activities", "inbox_event");

    private static final String CHANGELOG = "db/dashboard/rebuild.xml";

    @Inject
    EntityManager entityManager;

    private final DataSource dataSource;
    private final String live;
    private final String shadow;
    private final String retired;

    @Inject
    ShadowSchema(@Named("pawfiler") DataSource dataSource, @ConfigProperty(name = "pawfiler.db.schema") String schema) {
        this.dataSource = dataSource;
        // pawfiler.db.schema is checked against [a-z][a-z0-9_]* by the platform's migration before anything runs
        this.live = schema;
        this.shadow = schema + "_rebuild";
        this.retired = schema + "_retired";
    }

    /** Drops what an earlier rebuild may have left and creates empty read-model tables in the shadow schema. */
    public void create() {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = 0");
                statement.execute("DROP SCHEMA IF EXISTS " + shadow + " CASCADE");
                statement.execute("CREATE SCHEMA " + shadow);
                statement.execute("SET search_path TO " + shadow);
            }
            try {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                database.setDefaultSchemaName(shadow);
                database.setLiquibaseSchemaName(shadow);
                Scope.child(Map.of(Scope.Attr.resourceAccessor.name(),
                                new ClassLoaderResourceAccessor(ShadowSchema.class.getClassLoader())),
                        () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                                .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                                .execute());
            } finally {
                try (Statement statement = connection.createStatement()) {
                    // the pooled connection goes back as it came: the live schema, the requests' statement timeout
                    statement.execute("SET search_path TO " + live);
                    statement.execute("RESET statement_timeout");
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the rebuild schema " + shadow, e);
        } catch (Exception e) {
            throw new IllegalStateException("the read model's changesets failed in " + shadow, e);
        }
    }

    /**
     * Points the current transaction at the shadow tables: until it ends, the store's unqualified names are the
     * shadow schema's. {@code SET LOCAL} ends with the transaction, so the pooled connection is unaffected.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void useInThisTransaction() {
        entityManager.createNativeQuery("SELECT set_config('search_path', ?1, true)").setParameter(1, shadow).getSingleResult();
    }

    /**
     * Records an event id in the shadow inbox.
     *
     * @return false if the shadow model has this event already (a duplicate in the topic)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(String consumer, String eventId, String eventType) {
        return entityManager.createNativeQuery("""
                        INSERT INTO inbox_event (consumer, event_id, event_type) VALUES (?1, ?2, ?3)
                        ON CONFLICT (consumer, event_id) DO NOTHING""")
                .setParameter(1, consumer).setParameter(2, eventId).setParameter(3, eventType).executeUpdate() == 1;
    }

    /**
     * In one transaction: the live read-model tables move out, the shadow ones take their names, the old ones are
     * dropped. Readers wait for the commit (milliseconds) and then see the new tables; nobody sees a mix.
     */
    @Transactional
    public void swapIn() {
        execute("DROP SCHEMA IF EXISTS " + retired + " CASCADE");
        execute("CREATE SCHEMA " + retired);
        for (String table : READ_MODEL_TABLES) {
            execute("ALTER TABLE " + live + "." + table + " SET SCHEMA " + retired);
        }
        for (String table : READ_MODEL_TABLES) {
            execute("ALTER TABLE " + shadow + "." + table + " SET SCHEMA " + live);
        }
        execute("DROP SCHEMA " + retired + " CASCADE");
        execute("DROP SCHEMA " + shadow + " CASCADE");
    }

    /** Removes the shadow schema of a rebuild that failed. */
    @Transactional
    public void drop() {
        execute("DROP SCHEMA IF EXISTS " + shadow + " CASCADE");
    }

    private void execute(String ddl) {
        entityManager.createNativeQuery(ddl).executeUpdate();
    }
}

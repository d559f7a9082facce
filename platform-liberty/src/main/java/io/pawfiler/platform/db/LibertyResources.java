package io.pawfiler.platform.db;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The server's resources as CDI beans the platform injects, which Helidon makes beans of itself: the data source
 * ({@code @Named("pawfiler")}: server.xml's {@code <dataSource jndiName="pawfiler">}, the one the persistence unit's
 * {@code jta-data-source} names) and the JTA synchronization registry (Jakarta Transactions promises it by
 * {@code @Resource}, not by {@code @Inject}).
 */
@ApplicationScoped
public class LibertyResources {

    @Resource(lookup = DatabaseMigration.DATASOURCE)
    DataSource dataSource;

    @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
    TransactionSynchronizationRegistry transactions;

    @Produces
    @Named(DatabaseMigration.DATASOURCE)
    DataSource pawfilerDataSource() {
        return dataSource;
    }

    @Produces
    TransactionSynchronizationRegistry transactionSynchronizationRegistry() {
        return transactions;
    }
}

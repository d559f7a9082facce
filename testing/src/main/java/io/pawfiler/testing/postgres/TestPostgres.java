package io.pawfiler.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for tests: one embedded server (zonky, PostgreSQL 17, ~1.5 s to start) per test JVM, started on
 * first use and stopped at exit; or, if {@code PAWFILER_DB_URL} is set, the server it points at (with
 * {@code PAWFILER_DB_USER}, {@code PAWFILER_DB_PASSWORD}; that user needs CREATEDB). Each test class asks for a
 * database of its own, so tests never see each other's rows:
 *
 * <pre>{@code
 * TestPostgres.Database db = TestPostgres.createDatabase("QuizStoreTest");
 * try (Connection c = db.connect()) { ... }        // or db.dataSource(), or db.jdbcUrl()/user()/password()
 * }</pre>
 *
 * <p>On an external server the databases created here are dropped when the JVM exits.
 */
public final class TestPostgres {

    private static final System.Logger LOG = System.getLogger(TestPostgres.class.getName());
    /** PostgreSQL truncates longer identifiers, which would break the URL we hand out. */
    private static final int MAX_IDENTIFIER = 63;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    /** Connection settings of one database. */
    public record Database(String jdbcUrl, String user, String password) {

        /** The database's name (the last path segment of the URL). */
        public String name() {
            String path = jdbcUrl.contains("?") ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) : jdbcUrl;
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** A new connection; the caller closes it. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        /** A non-pooling DataSource (PostgreSQL driver's own), e.g. for Liquibase or a quick JDBC check. */
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }

    /**
     * Creates a fresh, empty database named {@code <prefix>_<n>_<pid>} (lower case, other characters replaced by
     * {@code _}, unique per server even with test JVMs running side by side).
     */
    public static Database createDatabase(String prefix) {
        Server pg = server();
        String name = databaseName(prefix);
        try (Connection admin = pg.connectAdmin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + pg.adminUrl + " as "
                    + pg.user + ": " + e.getMessage() + (pg.embedded ? "" : " (does the user have CREATEDB?)"), e);
        }
        pg.created.add(name);
        return new Database(pg.urlOf(name), pg.user, pg.password);
    }

    /** The JDBC URL of database {@code database} on this JVM's server (starting it on first use). */
    public static String jdbcUrl(String database) {
        return server().urlOf(database);
    }

    /**
     * Stops this JVM's embedded server as an outage would (fast shutdown: every session is ended, new connections are
     * refused); {@link #startServer()} brings it back on the same port with its data. Not possible on an external
     * server ({@code PAWFILER_DB_URL}).
     */
    public static synchronized void stopServer() {
        server().requireEmbedded().stop();
    }

    /** Starts the embedded server again after {@link #stopServer()}: same port, same databases and rows. */
    public static synchronized void startServer() {
        server().requireEmbedded().start();
    }

    /** Whether this JVM runs its own embedded server (false: {@code PAWFILER_DB_URL} is used). */
    public static boolean isEmbedded() {
        return server().embedded;
    }

    static String databaseName(String prefix) {
        String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "db_" + base;
        }
        String suffix = "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        return base.substring(0, Math.min(base.length(), MAX_IDENTIFIER - suffix.length())) + suffix;
    }

    private static synchronized Server server() {
        if (server == null) {
            String url = System.getenv("PAWFILER_DB_URL");
            server = url != null && !url.isBlank()
                    ? Server.external(url, env("PAWFILER_DB_USER", "postgres"), env("PAWFILER_DB_PASSWORD", ""))
                    : Server.embedded();
        }
        return server;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static final class Server {
        final String adminUrl;
        final String user;
        final String password;
        final boolean embedded;
        final List<String> created = new CopyOnWriteArrayList<>();
        private final EmbeddedServer embeddedServer;
        private final String urlPrefix;
        private final String urlQuery;

        private Server(String adminUrl, String user, String password, EmbeddedServer embeddedServer) {
            this.embeddedServer = embeddedServer;
            this.embedded = embeddedServer != null;
            this.adminUrl = adminUrl;
            this.user = user;
            this.password = password;
            int query = adminUrl.indexOf('?');
            String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
            this.urlPrefix = base.substring(0, base.lastIndexOf('/') + 1);
            this.urlQuery = query < 0 ? "" : adminUrl.substring(query); // keeps e.g. ?sslmode=require
        }

        static Server external(String url, String user, String password) {
            Server server = new Server(url, user, password, null);
            Runtime.getRuntime().addShutdownHook(new Thread(server::dropCreatedDatabases, "test-postgres-cleanup"));
            LOG.log(Level.INFO, "Tests use the PostgreSQL server at {0} (PAWFILER_DB_URL)", url);
            return server;
        }

        static Server embedded() {
            long began = System.nanoTime();
            EmbeddedServer embedded = new EmbeddedServer();
            embedded.start();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stopAndDelete, "test-postgres-stop"));
            Server server = new Server(embedded.postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                    embedded);
            LOG.log(Level.INFO, "Embedded PostgreSQL started in {0} ms at {1}",
                    String.valueOf((System.nanoTime() - began) / 1_000_000), server.adminUrl);
            return server;
        }

        EmbeddedServer requireEmbedded() {
            if (embeddedServer == null) {
                throw new IllegalStateException("PAWFILER_DB_URL points at an external PostgreSQL: tests cannot stop it");
            }
            return embeddedServer;
        }

        Connection connectAdmin() throws SQLException {
            return DriverManager.getConnection(adminUrl, user, password);
        }

        String urlOf(String database) {
            return urlPrefix + database + urlQuery;
        }

        /** Leaves a shared server as it was found; FORCE (PostgreSQL 13+) ends connections the tests left open. */
        private void dropCreatedDatabases() {
            if (created.isEmpty()) {
                return;
            }
            try (Connection admin = connectAdmin(); Statement statement = admin.createStatement()) {
                for (String name : created) {
                    try {
                        statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
                    } catch (SQLException e) {
                        LOG.log(Level.WARNING, "Could not drop test database {0}: {1}", name, e.getMessage());
                    }
                }
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Could not drop the test databases {0}: {1}", created, e.getMessage());
            }
        }
    }

    /** The embedded cluster: its data directory and port outlive a {@link #stop()} so that {@link #start()} resumes it. */
    private static final class EmbeddedServer {
        private final Path dataDirectory;
        private EmbeddedPostgres postgres;
        private int port;

        EmbeddedServer() {
            try {
                dataDirectory = Files.createTempDirectory("pawfiler-test-postgres");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void start() {
            if (postgres != null) {
                return;
            }
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory.toFile())
                        .setCleanDataDirectory(false) // initdb only on first start; kept across stop and start
                        .setServerConfig("max_connections", "300") // a Hikari pool per test class adds up
                        // durability buys nothing in a throw-away cluster; these make commits cheap
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
                if (port != 0) {
                    builder.setPort(port);
                }
                postgres = builder.start();
                port = postgres.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
        }

        synchronized void stop() {
            if (postgres == null) {
                return;
            }
            try {
                postgres.close(); // pg_ctl stop -m fast; the data directory stays (setCleanDataDirectory(false))
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not stop", e);
            } finally {
                postgres = null;
            }
        }

        void stopAndDelete() {
            try {
                stop();
            } catch (RuntimeException e) {
                // the JVM is going away; nothing left to do
            }
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the OS cleans up
            }
        }
    }
}

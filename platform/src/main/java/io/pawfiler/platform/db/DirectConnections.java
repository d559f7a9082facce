package io.pawfiler.platform.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections of the platform's own long-lived sessions (the database monitor, the outbox publisher's lock),
 * opened beside the pool so that they never take a connection from requests and a dead server is seen at once.
 */
@ApplicationScoped
public class DirectConnections {

    private final String url;
    private final String user;
    private final String password;
    private final Duration timeout;

    @Inject
    public DirectConnections(@ConfigProperty(name = "pawfiler.db.url") String url,
                      @ConfigProperty(name = "pawfiler.db.user") String user,
                      @ConfigProperty(name = "pawfiler.db.password") Optional<String> password,
                      @ConfigProperty(name = "pawfiler.db.probe-timeout", defaultValue = "PT2S") Duration timeout) {
        this.url = url;
        this.user = user;
        this.password = password.orElse("");
        this.timeout = timeout;
    }

    /** A new connection, auto-commit on; {@code purpose} shows in {@code pg_stat_activity.application_name}. */
    public Connection open(String purpose) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // pgjdbc: refuse quickly when the server is not there, never hang on one that stopped answering
        int seconds = (int) Math.max(1, timeout.toSeconds());
        properties.setProperty("connectTimeout", String.valueOf(seconds));
        properties.setProperty("loginTimeout", String.valueOf(seconds));
        properties.setProperty("socketTimeout", String.valueOf(seconds + 1));
        properties.setProperty("ApplicationName", purpose);
        return DriverManager.getConnection(url, properties);
    }

    /** Closes a connection of {@link #open}, broken or not (a broken one has nothing left to say); null is fine. */
    public static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // broken already
            }
        }
    }

    /** The time a probe may take before the database counts as unreachable. */
    public Duration timeout() {
        return timeout;
    }
}

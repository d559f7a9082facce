package io.pawfiler.systemtests;

import java.util.HexFormat;
import java.util.Map;
import java.security.SecureRandom;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.testing.postgres.TestPostgres;

/**
 * Starts the built auth-service in its own JVM (fresh database, the test kit's Kafka) before the test class's own
 * Helidon app boots, and points that app's MP JWT at auth-service's JWKS URL and issuer: all it knows of auth.
 * Declare it before {@code @HelidonTest}.
 */
public class AuthServiceProcess implements BeforeAllCallback {

    public static final String ISSUER = "https://auth.pawfiler.io";

    private static TestPostgres.Database database;
    private static String keySecret;
    private static ServiceProcess auth;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = TestPostgres.createDatabase(context.getRequiredTestClass().getSimpleName());
        keySecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        auth = Services.start("auth-service", database, Map.of("PAWFILER_AUTH_KEY_ENCRYPTION_SECRET", keySecret));
        // stopped with its test class, not at the end of the run: a live auth-service would stay in the
        // "auth-service" consumer group and take the next journey's events to its own database
        context.getStore(ExtensionContext.Namespace.create(AuthServiceProcess.class))
                .put(context.getUniqueId(), (ExtensionContext.Store.CloseableResource) auth::close);

        System.setProperty("mp.jwt.verify.publickey.location", auth.baseUrl() + "/.well-known/jwks.json");
        System.setProperty("mp.jwt.verify.issuer", ISSUER);
    }

    public static String baseUrl() {
        return auth.baseUrl();
    }

    public static TestPostgres.Database database() {
        return database;
    }

    public static String keySecret() {
        return keySecret;
    }
}

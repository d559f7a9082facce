package io.pawfiler.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.TestKafka;
import io.pawfiler.testing.postgres.TestPostgres;

/**
 * Points the application under test at real infrastructure before Helidon boots it: a fresh PostgreSQL database
 * for the test class and this JVM's Kafka broker, through the same properties an operator sets
 * ({@code pawfiler.db.*}, {@code pawfiler.kafka.bootstrap-servers}), and makes it trust
 * {@link TestTokens#shared()} tokens ({@code mp.jwt.verify.*}). Declare it before {@code @HelidonTest}:
 * <pre>{@code
 * @ExtendWith(RealInfrastructure.class)
 * @HelidonTest
 * class QuizServiceIT { ... }
 * }</pre>
 */
public class RealInfrastructure implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestPostgres.Database database = TestPostgres.createDatabase(context.getRequiredTestClass().getSimpleName());
        System.setProperty("pawfiler.db.url", database.jdbcUrl());
        System.setProperty("pawfiler.db.user", database.user());
        System.setProperty("pawfiler.db.password", database.password());
        System.setProperty("pawfiler.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        // tokens from TestTokens.shared() verify as if auth-service had issued them
        try {
            java.nio.file.Path jwks = TestTokens.shared().writeJwks(
                    java.nio.file.Files.createTempDirectory("pawfiler-jwks").resolve("jwks.json"));
            System.setProperty("mp.jwt.verify.publickey.location", jwks.toUri().toString());
            System.setProperty("mp.jwt.verify.issuer", TestTokens.ISSUER);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The database the current test class runs against (for assertions straight on the tables). */
    public static TestPostgres.Database currentDatabase() {
        return new TestPostgres.Database(System.getProperty("pawfiler.db.url"),
                System.getProperty("pawfiler.db.user"), System.getProperty("pawfiler.db.password"));
    }
}

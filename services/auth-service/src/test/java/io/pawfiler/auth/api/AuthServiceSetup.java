package io.pawfiler.auth.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs after {@code RealInfrastructure}: auth-service verifies its own tokens through its own JWKS URL (as in
 * production), so the test needs the port up front; also a fresh key-encryption secret and the initial admin.
 */
public class AuthServiceSetup implements BeforeAllCallback {

    static final String ISSUER = "https://auth.pawfiler.test";
    static final String ADMIN_EMAIL = "root@pawfiler.test";
    static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    static final int MAX_FAILURES = 3;
    static final String PORT_PROPERTY = "pawfiler.test.auth-port";

    @Override
    public void beforeAll(ExtensionContext context) {
        int port = freePort();
        // @HelidonTest forces server.port=0; the test class maps it back with @AddConfig(server.port=${...})
        System.setProperty(PORT_PROPERTY, String.valueOf(port));
        System.setProperty("pawfiler.auth.issuer", ISSUER);
        System.setProperty("mp.jwt.verify.issuer", ISSUER);
        System.setProperty("mp.jwt.verify.publickey.location", "http://localhost:" + port + "/.well-known/jwks.json");
        System.setProperty("pawfiler.auth.key-encryption-secret", UUID.randomUUID().toString());
        System.setProperty("pawfiler.admin.email", ADMIN_EMAIL);
        System.setProperty("pawfiler.admin.password", ADMIN_PASSWORD);
        System.setProperty("pawfiler.auth.login.max-failures", String.valueOf(MAX_FAILURES));
        // a rotated key is looked up at once (production: at most every 10 s)
        System.setProperty("pawfiler.security.jwks-refetch-interval", "PT0S");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

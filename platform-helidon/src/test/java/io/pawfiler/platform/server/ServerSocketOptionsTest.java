package io.pawfiler.platform.server;

import io.helidon.config.mp.MpConfig;
import io.helidon.webserver.WebServerConfig;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's server sockets send small frames at once (TCP_NODELAY). Without it, Nagle's algorithm meets the
 * client's delayed ACK and each HTTP/2 (gRPC) exchange waits ~40 ms. Checked the way Helidon MP builds its server:
 * the MicroProfile config every service inherits from platform, read into the web server's own configuration.
 */
class ServerSocketOptionsTest {

    @Test
    void serverSocketsAreConfiguredWithTcpNoDelay() {
        Config config = ConfigProviderResolver.instance().getBuilder().addDefaultSources().build();
        WebServerConfig server = WebServerConfig.builder()
                .config(MpConfig.toHelidonConfig(config).get("server"))
                .buildPrototype();

        assertTrue(server.connectionOptions().tcpNoDelay(), "server.connection-options.tcp-no-delay");
    }
}

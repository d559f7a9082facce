package io.pawfiler.testing.arquillian;

import io.helidon.microprofile.server.Server;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Arquillian container that boots a Helidon MP server in the test JVM (Helidon's own container is not published
 * where we build). Like Helidon's, it runs the application from the test classpath: the deployment archive names
 * the test but its classes are already there. Tests run as a client ({@code @Deployment(testable = false)}) and
 * reach the server through {@code @ArquillianResource URL}.
 */
public class HelidonDeployableContainer implements DeployableContainer<HelidonContainerConfiguration> {

    private HelidonContainerConfiguration configuration = new HelidonContainerConfiguration();
    private Server server;

    @Override
    public Class<HelidonContainerConfiguration> getConfigurationClass() {
        return HelidonContainerConfiguration.class;
    }

    @Override
    public void setup(HelidonContainerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (server != null) {
            throw new DeploymentException("Helidon runs one application per JVM; undeploy " + archive.getName() + " first");
        }
        try {
            server = Server.builder()
                    .host(configuration.getHost())
                    .port(configuration.getPort())
                    .build()
                    .start();
        } catch (RuntimeException e) {
            throw new DeploymentException("Helidon did not start: " + e.getMessage(), e);
        }
        return new ProtocolMetaData().addContext(new HTTPContext(configuration.getHost(), server.port()));
    }

    @Override
    public void undeploy(Archive<?> archive) {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}

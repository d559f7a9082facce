package io.pawfiler.testing.arquillian;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/** Settings of the Helidon container, from {@code arquillian.xml} if a test wants to change them. */
public class HelidonContainerConfiguration implements ContainerConfiguration {

    private String host = "localhost";
    private int port;

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    /** 0 (the default) takes a free port. */
    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public void validate() throws ConfigurationException {
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("port must be 0..65535, was " + port);
        }
    }
}

package io.pawfiler.testing.arquillian;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The smallest MP application: proves CDI, config and JAX-RS run inside the container. */
@Path("/hello")
@ApplicationScoped
public class HelloResource {

    @Inject
    @ConfigProperty(name = "hello.greeting")
    String greeting;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return greeting + " from Helidon";
    }
}

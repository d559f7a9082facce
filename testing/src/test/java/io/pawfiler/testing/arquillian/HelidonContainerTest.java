package io.pawfiler.testing.arquillian;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arquillian boots a Helidon MP application through the test kit's container and the test calls it over HTTP. */
@ExtendWith(ArquillianExtension.class)
class HelidonContainerTest {

    @Deployment(testable = false)
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "hello.jar").addClass(HelloResource.class);
    }

    @ArquillianResource
    URL baseUrl;

    @Test
    void servesTheApplicationOnAFreePort() throws Exception {
        assertTrue(baseUrl.getPort() > 0, baseUrl.toString());
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl.toString()).resolve("/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("Servus from Helidon", response.body());
    }
}

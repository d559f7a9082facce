package io.pawfiler.platform.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import io.pawfiler.platform.db.DatabaseAvailability;
import io.pawfiler.platform.db.DatabaseFailures;

/**
 * While the database is unreachable, REST requests are answered 503 problem+json with {@code Retry-After} at once,
 * instead of waiting for a pool connection that cannot come. Public keys ({@code /.well-known/...}) are still served:
 * other services need them to verify tokens, and they do not come from the database per request.
 * (Health, metrics and OpenAPI are not JAX-RS resources; they answer as ever.)
 */
@Provider
@PreMatching
@ApplicationScoped
public class DatabaseGateFilter implements ContainerRequestFilter {

    // Field injection: a JAX-RS runtime may construct providers itself (RESTEasy on Liberty wants a constructor it
    // can call) and only then let CDI inject them.
    @Inject
    DatabaseAvailability database;

    @Override
    public void filter(ContainerRequestContext request) {
        if (database.isDown() && !request.getUriInfo().getPath().startsWith(".well-known")
                && !request.getUriInfo().getPath().startsWith("/.well-known")) {
            request.abortWith(Problem.of(
                    DatabaseFailures.unreachable(database.retryAfter())));
        }
    }
}

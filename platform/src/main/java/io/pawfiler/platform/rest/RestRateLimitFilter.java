package io.pawfiler.platform.rest;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.limits.RateLimits;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * Applies {@link RateLimits} to the REST operations listed in {@code pawfiler.rate-limits} ({@code METHOD /path}):
 * over the limit, 429 problem+json with Retry-After. After authentication, so the caller is known.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 10)
@ApplicationScoped
public class RestRateLimitFilter implements ContainerRequestFilter {

    // Field injection, as in DatabaseGateFilter: JAX-RS runtimes may construct providers themselves.
    @Inject
    RateLimits limits;

    @Inject
    CallerContext callers;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> operation = limits.httpOperation(request.getMethod(), request.getUriInfo().getPath());
        if (operation.isEmpty()) {
            return;
        }
        Optional<Caller> caller = callers.current();
        if (caller.isPresent()) {
            try {
                limits.acquire(operation.get(), caller.get());
            } catch (ApiException refused) {
                request.abortWith(Problem.of(refused));
            }
        }
    }
}

package io.pawfiler.platform.rest;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import io.pawfiler.platform.errors.ApiException;

/**
 * A path or query parameter with a NUL character ({@code ?user_id=%00}) is refused with 400 naming the parameter
 * before any resource runs: PostgreSQL text cannot hold U+0000, so it used to end as a 500 from the query that
 * bound it. (gRPC strings get the same rule in {@code WireCheck}.)
 */
@Provider
@ApplicationScoped
public class NulParameters implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String bad = firstWithNul(request.getUriInfo().getPathParameters());
        if (bad == null) {
            bad = firstWithNul(request.getUriInfo().getQueryParameters());
        }
        if (bad != null) {
            request.abortWith(Problem.of(ApiException.invalidArgument(bad, "contains a NUL character")));
        }
    }

    static String firstWithNul(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().indexOf('\0') >= 0) {
                return "query";
            }
            for (String value : parameter.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    return parameter.getKey();
                }
            }
        }
        return null;
    }
}

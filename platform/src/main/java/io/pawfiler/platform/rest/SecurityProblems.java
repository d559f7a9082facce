package io.pawfiler.platform.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

import io.pawfiler.platform.errors.ErrorKind;

/**
 * MP JWT rejects a request (no token, bad token, missing role) before any resource or exception mapper runs, with
 * an empty 401/403. This gives those responses the same problem+json body as every other error, and the
 * {@code WWW-Authenticate} challenge RFC 6750 asks for.
 */
@Provider
@ApplicationScoped
public class SecurityProblems implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if ((status != 401 && status != 403) || response.hasEntity()) {
            return;
        }
        if (status == 401) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            response.setEntity(Problem.body(ErrorKind.UNAUTHENTICATED, 401, "a valid access token is required"),
                    null, MediaType.valueOf(Problem.MEDIA_TYPE));
        } else {
            response.setEntity(Problem.body(ErrorKind.PERMISSION_DENIED, 403, "the access token lacks the role "
                    + "this operation needs"), null, MediaType.valueOf(Problem.MEDIA_TYPE));
        }
    }
}

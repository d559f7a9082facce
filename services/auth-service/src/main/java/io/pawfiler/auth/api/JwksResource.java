package io.pawfiler.auth.api;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.auth.tokens.SigningKeys;

/** The public keys every service verifies access tokens with (pending, active and recently retired keys). */
@Path("/.well-known/jwks.json")
@RequestScoped
@Tag(name = "keys")
public class JwksResource {

    static final String JWK_SET_JSON = "application/jwk-set+json";

    @Inject
    SigningKeys keys;

    @GET
    @PermitAll
    @Produces({"application/json", JWK_SET_JSON})
    @Operation(summary = "JSON Web Key Set (RFC 7517) of the token signing keys")
    public Response jwks() {
        CacheControl cache = new CacheControl();
        // Short: verifiers refetch on an unknown kid anyway, and the next key is always published ahead.
        cache.setMaxAge(300);
        return Response.ok(keys.ring().published().toString()).cacheControl(cache).build();
    }
}

package io.pawfiler.auth.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.auth.api.AuthJson.KeyRotated;
import io.pawfiler.auth.domain.Roles;
import io.pawfiler.auth.tokens.SigningKeys;

/** Operator command: rotate the signing key now (e.g. after a suspected leak), without waiting for the schedule. */
@Path("/auth/admin/signing-keys")
@RequestScoped
@Tag(name = "admin")
public class SigningKeyResource {

    @Inject
    SigningKeys keys;

    @POST
    @Path("/rotate")
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the token signing key now",
            description = "Tokens signed by the previous key keep verifying until they expire.")
    public KeyRotated rotate() {
        return new KeyRotated(keys.rotateNow());
    }
}

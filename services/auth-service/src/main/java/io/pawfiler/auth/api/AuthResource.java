package io.pawfiler.auth.api;

import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.auth.api.AuthJson.LoginRequest;
import io.pawfiler.auth.api.AuthJson.LogoutRequest;
import io.pawfiler.auth.api.AuthJson.LogoutResponse;
import io.pawfiler.auth.api.AuthJson.ProfileUpdate;
import io.pawfiler.auth.api.AuthJson.RefreshRequest;
import io.pawfiler.auth.api.AuthJson.SignupRequest;
import io.pawfiler.auth.api.AuthJson.TokenResponse;
import io.pawfiler.auth.api.AuthJson.UserView;
import io.pawfiler.auth.domain.Roles;
import io.pawfiler.auth.service.AccountService;
import io.pawfiler.auth.service.SessionService;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.platform.security.CallerContext;

/** The REST API the original frontend calls: sign-up, sign-in, refresh, sign-out, the caller's profile. */
@Path("/auth")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {

    @Inject
    AccountService accounts;

    @Inject
    SessionService sessions;

    @Inject
    CallerContext callers;

    @POST
    @Path("/signup")
    @PermitAll
    @Operation(summary = "Create an account and sign in", description = "Publishes user.registered.")
    @APIResponse(responseCode = "201", description = "signed up",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "a field is invalid (named in `field`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "the email is taken", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response signup(SignupRequest request) {
        SignupRequest body = required(request);
        var authenticated = accounts.signup(new AccountService.Signup(body.email(), body.password(), body.nickname(),
                body.avatarEmoji()));
        return Response.status(Response.Status.CREATED).entity(TokenResponse.of(authenticated, Instant.now())).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Sign in with email and password")
    @APIResponse(responseCode = "200", description = "signed in",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "unknown email or wrong password (never says which)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "too many failures for this email; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public TokenResponse login(LoginRequest request) {
        LoginRequest body = required(request);
        return TokenResponse.of(accounts.login(body.email(), body.password()), Instant.now());
    }

    @POST
    @Path("/refresh")
    @PermitAll
    @Operation(summary = "Swap a refresh token for a new access token and a new refresh token",
            description = "Each refresh token works once. Presenting a used one revokes the whole sign-in.")
    @APIResponse(responseCode = "200", description = "refreshed",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "unknown, expired, revoked or reused refresh token",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public TokenResponse refresh(RefreshRequest request) {
        return TokenResponse.of(sessions.refresh(required(request).refreshToken()), Instant.now());
    }

    @POST
    @Path("/logout")
    @PermitAll
    @Operation(summary = "End a sign-in (or all of the caller's)", description = "Idempotent.")
    @APIResponse(responseCode = "200", description = "signed out",
            content = @Content(schema = @Schema(implementation = LogoutResponse.class)))
    public LogoutResponse logout(LogoutRequest request) {
        LogoutRequest body = required(request);
        if (Boolean.TRUE.equals(body.allSessions())) {
            return new LogoutResponse(true, sessions.logoutEverywhere(callers.require().userId()));
        }
        return new LogoutResponse(true, sessions.logout(body.refreshToken()));
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The caller's profile")
    public UserView me() {
        return UserView.of(accounts.profile(callers.require().userId()), Instant.now());
    }

    @PATCH
    @Path("/me")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Change the caller's nickname and/or avatar emoji")
    @APIResponse(responseCode = "200", description = "updated",
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "a field is invalid (named in `field`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public UserView updateMe(ProfileUpdate request) {
        ProfileUpdate body = required(request);
        return UserView.of(accounts.updateProfile(callers.require().userId(), body.nickname(), body.avatarEmoji()),
                Instant.now());
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw ApiException.invalidArgument("body", "a JSON body is required");
        }
        return body;
    }
}

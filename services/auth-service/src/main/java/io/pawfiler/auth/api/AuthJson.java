package io.pawfiler.auth.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.pawfiler.auth.domain.Roles;
import io.pawfiler.auth.service.Authenticated;
import io.pawfiler.auth.store.User;

/** The JSON bodies of the REST API (snake_case on the wire, see platform's SnakeCaseJson). */
public final class AuthJson {

    private AuthJson() {
    }

    @Schema(name = "SignupRequest")
    public record SignupRequest(@Schema(required = true, example = "cat@pawfiler.io") String email,
                                @Schema(required = true, minLength = 8) String password,
                                @Schema(description = "2-20 characters; defaults to the email's local part") String nickname,
                                @Schema(description = "one emoji; defaults to 🐾") String avatarEmoji) {
    }

    @Schema(name = "LoginRequest")
    public record LoginRequest(@Schema(required = true) String email, @Schema(required = true) String password) {
    }

    @Schema(name = "RefreshRequest")
    public record RefreshRequest(@Schema(required = true) String refreshToken) {
    }

    @Schema(name = "LogoutRequest")
    public record LogoutRequest(@Schema(description = "the sign-in to end") String refreshToken,
                                @Schema(description = "end every sign-in of the caller (needs the access token)")
                                Boolean allSessions) {
    }

    @Schema(name = "ProfileUpdate", description = "fields to change; absent fields stay as they are")
    public record ProfileUpdate(String nickname, String avatarEmoji) {
    }

    @Schema(name = "UserProfile")
    public record UserView(String id, String email, String nickname, String avatarEmoji,
                           @Schema(enumeration = {"free", "premium"}) String subscriptionType,
                           List<String> roles, Instant premiumUntil, Instant createdAt) {
        static UserView of(User user, Instant now) {
            boolean premium = Roles.isPremium(user.premiumUntil(), now);
            return new UserView(user.id(), user.email(), user.nickname(), user.avatarEmoji(),
                    premium ? "premium" : "free", Roles.of(user.admin(), user.premiumUntil(), now),
                    premium ? user.premiumUntil() : null, user.createdAt());
        }
    }

    @Schema(name = "TokenResponse")
    public record TokenResponse(@Schema(description = "the access token (original field name)") String token,
                                @Schema(description = "the access token (OAuth 2.0 name)") String accessToken,
                                @Schema(description = "opaque, single use; send it to /auth/refresh") String refreshToken,
                                @Schema(enumeration = "Bearer") String tokenType,
                                @Schema(description = "seconds until the access token expires") long expiresIn,
                                UserView user) {
        static TokenResponse of(Authenticated authenticated, Instant now) {
            String access = authenticated.accessToken().token();
            return new TokenResponse(access, access, authenticated.refreshToken(), "Bearer",
                    authenticated.accessToken().lifetime().toSeconds(), UserView.of(authenticated.user(), now));
        }
    }

    @Schema(name = "LogoutResponse")
    public record LogoutResponse(boolean success, int revokedSessions) {
    }

    @Schema(name = "KeyRotation")
    public record KeyRotated(String signingKeyId) {
    }
}

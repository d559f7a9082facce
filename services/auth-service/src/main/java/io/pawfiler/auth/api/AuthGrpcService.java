package io.pawfiler.auth.api;

import java.time.Instant;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.GetProfileRequest;
import io.pawfiler.api.auth.LoginRequest;
import io.pawfiler.api.auth.LoginResponse;
import io.pawfiler.api.auth.LogoutRequest;
import io.pawfiler.api.auth.LogoutResponse;
import io.pawfiler.api.auth.RefreshTokenRequest;
import io.pawfiler.api.auth.RefreshTokenResponse;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.auth.SignupResponse;
import io.pawfiler.api.auth.UpdateProfileRequest;
import io.pawfiler.api.auth.UserProfile;
import io.pawfiler.api.auth.ValidateTokenRequest;
import io.pawfiler.api.auth.ValidateTokenResponse;
import io.pawfiler.auth.domain.Roles;
import io.pawfiler.auth.service.AccountService;
import io.pawfiler.auth.service.Authenticated;
import io.pawfiler.auth.service.SessionService;
import io.pawfiler.auth.store.User;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.platform.security.TokenVerifier;

/** {@code auth.AuthService}: the same operations as the REST API, for gRPC clients and Envoy's transcoder. */
@Dependent
public class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {

    @Inject
    AccountService accounts;

    @Inject
    SessionService sessions;

    @Inject
    CallerContext callers;

    @Inject
    TokenVerifier tokens;

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
        reply(response, tokenResponse(accounts.login(request.getEmail(), request.getPassword())));
    }

    @Override
    public void signup(SignupRequest request, StreamObserver<SignupResponse> response) {
        Authenticated authenticated = accounts.signup(new AccountService.Signup(request.getEmail(),
                request.getPassword(), request.getNickname(), request.getAvatarEmoji()));
        reply(response, as(tokenResponse(authenticated), SignupResponse.parser()));
    }

    @Override
    public void refreshToken(RefreshTokenRequest request, StreamObserver<RefreshTokenResponse> response) {
        reply(response, as(tokenResponse(sessions.refresh(request.getRefreshToken())), RefreshTokenResponse.parser()));
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> response) {
        int revoked = request.getAllSessions()
                ? sessions.logoutEverywhere(callers.require().userId())
                : sessions.logout(request.getRefreshToken());
        reply(response, LogoutResponse.newBuilder().setSuccess(true).setRevokedSessions(revoked).build());
    }

    @Override
    public void validateToken(ValidateTokenRequest request, StreamObserver<ValidateTokenResponse> response) {
        ValidateTokenResponse.Builder result = ValidateTokenResponse.newBuilder().setValid(false);
        try {
            Caller caller = tokens.verify(request.getToken());
            Instant expiresAt = SignedJWT.parse(request.getToken()).getJWTClaimsSet().getExpirationTime().toInstant();
            result.setValid(true).setUserId(caller.userId()).addAllRoles(caller.roles().stream().sorted().toList())
                    .setExpiresAt(timestamp(expiresAt));
        } catch (ApiException | java.text.ParseException invalid) {
            // An invalid token is an answer, not an error.
        }
        reply(response, result.build());
    }

    @Override
    public void getProfile(GetProfileRequest request, StreamObserver<UserProfile> response) {
        String userId = callers.require().actingFor(request.getUserId());
        reply(response, profile(accounts.profile(userId), Instant.now()));
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<UserProfile> response) {
        String userId = callers.require().actingFor(request.getUserId());
        User user = accounts.updateProfile(userId,
                request.hasNickname() ? request.getNickname() : null,
                request.hasAvatarEmoji() ? request.getAvatarEmoji() : null);
        reply(response, profile(user, Instant.now()));
    }

    private static LoginResponse tokenResponse(Authenticated authenticated) {
        String access = authenticated.accessToken().token();
        return LoginResponse.newBuilder()
                .setToken(access)
                .setAccessToken(access)
                .setRefreshToken(authenticated.refreshToken())
                .setTokenType("Bearer")
                .setExpiresIn((int) authenticated.accessToken().lifetime().toSeconds())
                .setUser(profile(authenticated.user(), Instant.now()))
                .build();
    }

    /** Login, Signup and RefreshToken responses share one field layout, so one is re-read as the other. */
    private static <T> T as(LoginResponse login, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(login.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("token responses no longer share a layout", e);
        }
    }

    static UserProfile profile(User user, Instant now) {
        boolean premium = Roles.isPremium(user.premiumUntil(), now);
        UserProfile.Builder profile = UserProfile.newBuilder()
                .setId(user.id())
                .setEmail(user.email())
                .setNickname(user.nickname())
                .setAvatarEmoji(user.avatarEmoji())
                .setSubscriptionType(premium ? "premium" : "free")
                .setCreatedAt(user.createdAt().toString())
                .addAllRoles(Roles.of(user.admin(), user.premiumUntil(), now));
        if (premium) {
            profile.setPremiumUntil(timestamp(user.premiumUntil()));
        }
        return profile.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}

package io.pawfiler.auth.api;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.GetProfileRequest;
import io.pawfiler.api.auth.LoginRequest;
import io.pawfiler.api.auth.LoginResponse;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.auth.SignupResponse;
import io.pawfiler.api.auth.UpdateProfileRequest;
import io.pawfiler.api.auth.UserProfile;
import io.pawfiler.api.auth.ValidateTokenRequest;
import io.pawfiler.api.auth.ValidateTokenResponse;
import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** auth-service over real REST and gRPC, with real PostgreSQL and Kafka. */
@ExtendWith({RealInfrastructure.class, AuthServiceSetup.class})
@HelidonTest
@AddConfig(key = "server.port", value = "${" + AuthServiceSetup.PORT_PROPERTY + "}")
class AuthServiceIT {

    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @Inject
    io.pawfiler.auth.service.SessionService sessions;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    // ---------------------------------------------------------------- sign-up, events

    @Test
    void signupSignsInAndPublishesUserRegisteredWithoutPrivateData() {
        String email = uniqueEmail();
        Response response = post("/auth/signup", Json.createObjectBuilder()
                .add("email", "  " + email.toUpperCase() + " ").add("password", "correct horse 1")
                .add("nickname", "고양이집사").add("avatar_emoji", "🐱").build(), null);
        assertEquals(201, response.getStatus());
        JsonObject body = json(response);
        JsonObject user = body.getJsonObject("user");
        assertEquals(email, user.getString("email"), "stored normalised");
        assertEquals("고양이집사", user.getString("nickname"));
        assertEquals("🐱", user.getString("avatar_emoji"));
        assertEquals("free", user.getString("subscription_type"));
        assertEquals("Bearer", body.getString("token_type"));
        assertEquals(900, body.getInt("expires_in"));
        assertEquals(body.getString("token"), body.getString("access_token"));
        assertTrue(body.getString("refresh_token").length() >= 43, "256 random bits, base64url");

        String userId = user.getString("id");
        assertEquals(userId, me(body.getString("token")).getString("id"), "the new token is accepted at once");

        KafkaTopics.Record record = KafkaTopics.readUntil(EventType.USER_REGISTERED.topic(), Duration.ofSeconds(20),
                        records -> records.stream().anyMatch(r -> userId.equals(r.key())))
                .stream().filter(r -> userId.equals(r.key())).findFirst().orElseThrow();
        CloudEvent event = CloudEventCodec.decode(record.value());
        assertEquals(userId, event.subject());
        UserRegistered registered = event.dataAs(UserRegistered.class);
        assertEquals(userId, registered.getUserId());
        assertEquals("고양이집사", registered.getNickname());
        assertEquals("🐱", registered.getAvatarEmoji());
        assertTrue(registered.hasRegisteredAt());
        assertFalse(record.value().contains(email), "no email in the event");
        assertFalse(record.value().contains("correct horse"), "no password in the event");
    }

    @Test
    void signupDefaultsNicknameAndAvatarLikeTheOriginalFrontendSendsOnlyEmailAndPassword() {
        JsonObject user = signup(uniqueEmail("mimi"), "password-123").getJsonObject("user");
        assertTrue(user.getString("nickname").startsWith("mimi"), user.toString());
        assertEquals("🐾", user.getString("avatar_emoji"));
    }

    // ---------------------------------------------------------------- validation

    @Test
    void everyRejectedSignupFieldIsNamed() {
        String email = uniqueEmail();
        assertProblem(post("/auth/signup", signupBody("not-an-email", "password-123"), null), 400, "email");
        assertProblem(post("/auth/signup", signupBody(email, "short"), null), 400, "password");
        assertProblem(post("/auth/signup", signupBody(email, email.toUpperCase()), null), 400, "password");
        assertProblem(post("/auth/signup", Json.createObjectBuilder(signupBody(email, "password-123"))
                .add("nickname", "x").build(), null), 400, "nickname");
        assertProblem(post("/auth/signup", Json.createObjectBuilder(signupBody(email, "password-123"))
                .add("nickname", "a".repeat(21)).build(), null), 400, "nickname");
        assertProblem(post("/auth/signup", Json.createObjectBuilder(signupBody(email, "password-123"))
                .add("avatar_emoji", "🐱🐶").build(), null), 400, "avatar_emoji");
        assertProblem(post("/auth/signup", Json.createObjectBuilder(signupBody(email, "password-123"))
                .add("avatar_emoji", "A").build(), null), 400, "avatar_emoji");
        assertProblem(target.path("/auth/signup").request().post(Entity.json("{\"email\":")), 400, null);

        // none of the rejected attempts left an account behind
        signup(email, "password-123");
        assertProblem(post("/auth/signup", signupBody(email.toUpperCase(), "password-456"), null), 409, "email");

        StatusRuntimeException duplicate = assertThrows(StatusRuntimeException.class, () -> auth(null)
                .signup(SignupRequest.newBuilder().setEmail(email).setPassword("password-789").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, duplicate.getStatus().getCode());
        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> auth(null)
                .signup(SignupRequest.newBuilder().setEmail(uniqueEmail()).setPassword("1234").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
        assertEquals("password", badRequestField(invalid));
    }

    // ---------------------------------------------------------------- login, throttling

    @Test
    void loginFailuresDoNotRevealWhetherTheEmailExists() {
        String email = uniqueEmail();
        signup(email, "password-123");
        JsonObject ok = json(post("/auth/login", loginBody(email.toUpperCase(), "password-123"), null));
        assertEquals(email, ok.getJsonObject("user").getString("email"));

        Response wrongPassword = post("/auth/login", loginBody(email, "password-124"), null);
        Response unknownEmail = post("/auth/login", loginBody(uniqueEmail(), "password-123"), null);
        assertEquals(401, wrongPassword.getStatus());
        assertEquals(401, unknownEmail.getStatus());
        assertEquals(json(wrongPassword).getString("detail"), json(unknownEmail).getString("detail"));

        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class, () -> auth(null)
                .login(LoginRequest.newBuilder().setEmail(email).setPassword("nope-nope").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, grpc.getStatus().getCode());
    }

    @Test
    void repeatedFailuresLockTheEmailEvenForTheRightPassword() {
        String email = uniqueEmail();
        signup(email, "password-123");
        for (int i = 0; i < AuthServiceSetup.MAX_FAILURES; i++) {
            assertEquals(401, post("/auth/login", loginBody(email, "wrong-password"), null).getStatus());
        }
        Response locked = post("/auth/login", loginBody(email, "password-123"), null);
        assertProblem(locked, 429, null);
        long retryAfter = Long.parseLong(locked.getHeaderString("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= Duration.ofMinutes(15).toSeconds(), "Retry-After " + retryAfter);

        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class, () -> auth(null)
                .login(LoginRequest.newBuilder().setEmail(email).setPassword("password-123").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, grpc.getStatus().getCode());

        // another account is not affected
        String other = uniqueEmail();
        signup(other, "password-123");
        assertEquals(200, post("/auth/login", loginBody(other, "password-123"), null).getStatus());
    }

    // ---------------------------------------------------------------- refresh, logout

    @Test
    void refreshRotatesAndReusingAnOldTokenRevokesTheWholeSignIn() {
        String email = uniqueEmail();
        JsonObject first = signup(email, "password-123");
        String r1 = first.getString("refresh_token");

        JsonObject second = json(post("/auth/refresh", refreshBody(r1), null));
        String r2 = second.getString("refresh_token");
        assertNotEquals(r1, r2);
        assertNotEquals(first.getString("token"), second.getString("token"));
        assertEquals(first.getJsonObject("user").getString("id"), me(second.getString("token")).getString("id"));

        JsonObject third = json(post("/auth/refresh", refreshBody(r2), null));
        String r3 = third.getString("refresh_token");

        // r1 shows up again: somebody kept a copy. The family dies, including the newest token.
        assertProblem(post("/auth/refresh", refreshBody(r1), null), 401, null);
        assertProblem(post("/auth/refresh", refreshBody(r3), null), 401, null);

        // an independent sign-in of the same user is untouched
        JsonObject other = json(post("/auth/login", loginBody(email, "password-123"), null));
        assertEquals(200, post("/auth/refresh", refreshBody(other.getString("refresh_token")), null).getStatus());

        assertProblem(post("/auth/refresh", refreshBody("made-up"), null), 401, null);
        assertProblem(post("/auth/refresh", Json.createObjectBuilder().build(), null), 400, "refresh_token");
    }

    @Test
    void logoutRevokesTheSignInAndIsIdempotent() {
        String email = uniqueEmail();
        JsonObject session = signup(email, "password-123");
        String refresh = session.getString("refresh_token");

        JsonObject out = json(post("/auth/logout", refreshBody(refresh), null));
        assertTrue(out.getBoolean("success"));
        assertEquals(1, out.getInt("revoked_sessions"));
        assertProblem(post("/auth/refresh", refreshBody(refresh), null), 401, null);
        assertEquals(0, json(post("/auth/logout", refreshBody(refresh), null)).getInt("revoked_sessions"));

        // logout everywhere ends every sign-in of the caller
        JsonObject a = json(post("/auth/login", loginBody(email, "password-123"), null));
        JsonObject b = json(post("/auth/login", loginBody(email, "password-123"), null));
        JsonObject all = json(post("/auth/logout", Json.createObjectBuilder().add("all_sessions", true).build(),
                a.getString("token")));
        assertEquals(2, all.getInt("revoked_sessions"));
        assertProblem(post("/auth/refresh", refreshBody(b.getString("refresh_token")), null), 401, null);
        assertProblem(post("/auth/logout", Json.createObjectBuilder().add("all_sessions", true).build(), null), 401,
                null);
    }

    @Test
    void sessionsExpiredLongAgoArePurged() throws Exception {
        JsonObject session = signup(uniqueEmail(), "password-123");
        String userId = session.getJsonObject("user").getString("id");
        try (var connection = RealInfrastructure.currentDatabase().connect();
             var expire = connection.prepareStatement(
                     "UPDATE auth.sessions SET expires_at = now() - interval '2 days' WHERE user_id = ?")) {
            expire.setString(1, userId);
            assertEquals(1, expire.executeUpdate());
        }
        assertTrue(sessions.purgeExpired(Duration.ofDays(1)) >= 1);
        try (var connection = RealInfrastructure.currentDatabase().connect();
             var count = connection.prepareStatement("SELECT count(*) FROM auth.sessions WHERE user_id = ?")) {
            count.setString(1, userId);
            var rows = count.executeQuery();
            rows.next();
            assertEquals(0, rows.getInt(1));
        }
        assertProblem(post("/auth/refresh", refreshBody(session.getString("refresh_token")), null), 401, null);
    }

    // ---------------------------------------------------------------- profile

    @Test
    void profileUpdateOverRestAndGrpc() {
        JsonObject session = signup(uniqueEmail(), "password-123");
        String token = session.getString("token");
        String userId = session.getJsonObject("user").getString("id");

        HttpResponse<String> patched = patchMe(token, Json.createObjectBuilder().add("nickname", "새이름").build());
        assertEquals(200, patched.statusCode(), patched.body());
        JsonObject view = Json.createReader(new StringReader(patched.body())).readObject();
        assertEquals("새이름", view.getString("nickname"));
        assertEquals("🐾", view.getString("avatar_emoji"), "fields not sent stay");

        HttpResponse<String> badAvatar = patchMe(token, Json.createObjectBuilder().add("avatar_emoji", "cat").build());
        assertEquals(400, badAvatar.statusCode());
        assertEquals("application/problem+json", badAvatar.headers().firstValue("Content-Type").orElse(""));
        assertEquals("avatar_emoji", Json.createReader(new StringReader(badAvatar.body())).readObject().getString("field"));

        UserProfile updated = auth(token).updateProfile(UpdateProfileRequest.newBuilder().setAvatarEmoji("👍🏽").build());
        assertEquals("👍🏽", updated.getAvatarEmoji());
        assertEquals("새이름", updated.getNickname());
        UserProfile profile = auth(token).getProfile(GetProfileRequest.getDefaultInstance());
        assertEquals(userId, profile.getId());
        assertEquals("👍🏽", profile.getAvatarEmoji());

        // someone else's user_id needs admin
        String other = signup(uniqueEmail(), "password-123").getJsonObject("user").getString("id");
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> auth(token)
                .updateProfile(UpdateProfileRequest.newBuilder().setUserId(other).setNickname("해커").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals(other, auth(adminToken()).getProfile(GetProfileRequest.newBuilder().setUserId(other).build()).getId());

        Response noToken = target.path("/auth/me").request().get();
        assertEquals("Bearer", noToken.getHeaderString("WWW-Authenticate"));
        assertProblem(noToken, 401, null);
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
                () -> auth(null).getProfile(GetProfileRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
    }

    @Test
    void aProfileChangePublishesUserProfileChangedWithTheWholeCardAndANoOpPublishesNothing() {
        JsonObject session = signup(uniqueEmail(), "password-123");
        String token = session.getString("token");
        String userId = session.getJsonObject("user").getString("id");

        auth(token).updateProfile(UpdateProfileRequest.newBuilder().setNickname("바뀐이름").build());
        // the same nickname again (REST): nothing changes, nothing is published
        HttpResponse<String> same = patchMe(token, Json.createObjectBuilder().add("nickname", "바뀐이름").build());
        assertEquals(200, same.statusCode(), same.body());
        HttpResponse<String> avatar = patchMe(token, Json.createObjectBuilder().add("avatar_emoji", "🦊").build());
        assertEquals(200, avatar.statusCode(), avatar.body());

        // one user's events keep their order (one key, one partition, outbox order): had the no-op published,
        // it would sit between the two changes
        List<UserProfileChanged> changes = KafkaTopics.readUntil(EventType.USER_PROFILE_CHANGED.topic(),
                        Duration.ofSeconds(20), records -> records.stream().filter(r -> userId.equals(r.key()))
                                .anyMatch(r -> "🦊".equals(CloudEventCodec.decode(r.value())
                                        .dataAs(UserProfileChanged.class).getAvatarEmoji())))
                .stream().filter(r -> userId.equals(r.key()))
                .map(r -> {
                    CloudEvent event = CloudEventCodec.decode(r.value());
                    assertEquals(EventType.USER_PROFILE_CHANGED, event.type());
                    assertEquals(userId, event.subject());
                    return event.dataAs(UserProfileChanged.class);
                }).toList();
        assertEquals(2, changes.size(), changes.toString());
        UserProfileChanged renamed = changes.get(0);
        assertEquals(userId, renamed.getUserId());
        assertEquals("바뀐이름", renamed.getNickname());
        assertEquals("🐾", renamed.getAvatarEmoji(), "the whole card, not only what changed");
        UserProfileChanged reavatared = changes.get(1);
        assertEquals("바뀐이름", reavatared.getNickname());
        assertEquals("🦊", reavatared.getAvatarEmoji());
        assertTrue(renamed.hasChangedAt());
        assertTrue(instant(reavatared.getChangedAt()).isAfter(instant(renamed.getChangedAt())),
                "changed_at orders the changes for consumers");
    }

    // ---------------------------------------------------------------- gRPC sign-in and token checks

    @Test
    void grpcSignupLoginAndValidateToken() throws ParseException {
        String email = uniqueEmail();
        SignupResponse signedUp = auth(null).signup(SignupRequest.newBuilder().setEmail(email)
                .setPassword("password-123").setNickname("그르프").setAvatarEmoji("🦊").build());
        assertEquals("그르프", signedUp.getUser().getNickname());
        assertEquals(signedUp.getToken(), signedUp.getAccessToken());
        LoginResponse login = auth(null).login(LoginRequest.newBuilder().setEmail(email).setPassword("password-123").build());

        SignedJWT jwt = SignedJWT.parse(login.getToken());
        assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
        assertTrue(jwt.getHeader().getKeyID() != null && !jwt.getHeader().getKeyID().isBlank());
        var claims = jwt.getJWTClaimsSet();
        assertEquals(AuthServiceSetup.ISSUER, claims.getIssuer());
        assertEquals(signedUp.getUser().getId(), claims.getSubject());
        assertEquals(email, claims.getStringClaim("upn"));
        assertEquals(List.of("user"), claims.getStringListClaim("groups"));
        assertTrue(claims.getJWTID() != null);
        assertEquals(900, Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .toSeconds());

        ValidateTokenResponse valid = auth(login.getToken())
                .validateToken(ValidateTokenRequest.newBuilder().setToken(login.getToken()).build());
        assertTrue(valid.getValid());
        assertEquals(signedUp.getUser().getId(), valid.getUserId());
        assertEquals(List.of("user"), valid.getRolesList());
        ValidateTokenResponse forged = auth(login.getToken()).validateToken(ValidateTokenRequest.newBuilder()
                .setToken(TestTokens.shared().token(signedUp.getUser().getId())).build());
        assertFalse(forged.getValid(), "a token from another key");
    }

    // ---------------------------------------------------------------- key rotation

    @Test
    void afterARotationOldTokensStillVerifyAndNewOnesCarryTheNewKid() throws ParseException {
        JsonObject session = signup(uniqueEmail(), "password-123");
        String oldToken = session.getString("token");
        String oldKid = SignedJWT.parse(oldToken).getHeader().getKeyID();
        Set<String> before = jwksKids();
        assertTrue(before.contains(oldKid));
        assertTrue(before.size() >= 2, "the next key is published ahead: " + before);

        // only admins may rotate
        assertProblem(target.path("/auth/admin/signing-keys/rotate").request()
                .header("Authorization", "Bearer " + oldToken).post(Entity.json("")), 403, null);
        Response rotated = target.path("/auth/admin/signing-keys/rotate").request()
                .header("Authorization", "Bearer " + adminToken()).post(Entity.json(""));
        assertEquals(200, rotated.getStatus());
        String newKid = json(rotated).getString("signing_key_id");
        assertNotEquals(oldKid, newKid);
        assertTrue(before.contains(newKid), "the key that took over was already published");

        Set<String> after = jwksKids();
        assertTrue(after.contains(oldKid), "retired key stays until its tokens expire: " + after);
        assertTrue(after.contains(newKid));

        String refreshed = json(post("/auth/refresh", refreshBody(session.getString("refresh_token")), null))
                .getString("token");
        assertEquals(newKid, SignedJWT.parse(refreshed).getHeader().getKeyID());

        // A second rotation activates a key created after this server's MP JWT first loaded the JWKS:
        // platform's provider must notice the new kid and reload (Helidon's alone never would).
        String newestKid = json(target.path("/auth/admin/signing-keys/rotate").request()
                .header("Authorization", "Bearer " + adminToken()).post(Entity.json(""))).getString("signing_key_id");
        assertFalse(before.contains(newestKid), "created after the first JWKS load");
        String newest = json(post("/auth/login", loginBody(session.getJsonObject("user").getString("email"),
                "password-123"), null)).getString("token");
        assertEquals(newestKid, SignedJWT.parse(newest).getHeader().getKeyID());
        for (String token : List.of(oldToken, refreshed, newest)) {
            assertEquals(200, target.path("/auth/me").request().header("Authorization", "Bearer " + token).get()
                    .getStatus(), "REST (MP JWT) accepts " + token);
            assertEquals(session.getJsonObject("user").getString("id"),
                    auth(token).getProfile(GetProfileRequest.getDefaultInstance()).getId(), "gRPC accepts it");
        }
    }

    // ---------------------------------------------------------------- premium from payment.completed, premium.changed

    @Test
    void paymentCompletedMakesTheUserPremiumOnceEvenWhenDeliveredTwice() throws ParseException {
        String email = uniqueEmail();
        String userId = signup(email, "password-123").getJsonObject("user").getString("id");
        Instant until = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        CloudEvent payment = new CloudEvent(UUID.randomUUID().toString(), "/payment-service",
                EventType.PAYMENT_COMPLETED, Instant.now(), userId, PaymentCompleted.newBuilder()
                .setPaymentId("pay-1").setUserId(userId).setPlanId("premium-monthly").setAmount(9900).setCurrency("KRW")
                .setPremiumUntil(Timestamp.newBuilder().setSeconds(until.getEpochSecond()))
                .build());
        String encoded = CloudEventCodec.encode(payment);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), userId, encoded);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), userId, encoded);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonObject login;
        do {
            login = json(post("/auth/login", loginBody(email, "password-123"), null));
        } while (!"premium".equals(login.getJsonObject("user").getString("subscription_type"))
                && System.nanoTime() < deadline && sleep(200));
        assertEquals("premium", login.getJsonObject("user").getString("subscription_type"));
        assertEquals(until, Instant.parse(login.getJsonObject("user").getString("premium_until")));
        assertEquals(List.of("user", "premium"),
                SignedJWT.parse(login.getString("token")).getJWTClaimsSet().getStringListClaim("groups"));
    }

    @Test
    void theNewestPremiumChangeWinsSoALatePaymentNeverUndoesARefund() throws ParseException {
        JsonObject tokens = signup(uniqueEmail(), "password-123");
        String userId = tokens.getJsonObject("user").getString("id");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant paidAt = now.minus(Duration.ofMinutes(3));

        CloudEvent paid = paymentCompleted(userId, "pay-a", now.plus(Duration.ofDays(30)), paidAt);
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), userId, CloudEventCodec.encode(paid));
        awaitApplied("auth.premium", paid.id());
        tokens = refresh(tokens);
        assertEquals(List.of("user", "premium"), groups(tokens));

        // refunded a minute after paying: premium ends now
        CloudEvent refund = premiumChanged(userId, "refund", "pay-a", now, paidAt.plus(Duration.ofMinutes(1)));
        KafkaTopics.send(EventType.PREMIUM_CHANGED.topic(), userId, CloudEventCodec.encode(refund));
        awaitApplied("auth.premium-changed", refund.id());
        tokens = refresh(tokens);
        assertEquals(List.of("user"), groups(tokens));
        assertEquals("free", tokens.getJsonObject("user").getString("subscription_type"));
        assertEquals(now, premiumUntilStored(userId), "the refund's premium_until, though shorter than the payment's");

        // a payment completed before the refund (after the first one), read late and reaching further: no re-grant
        CloudEvent stale = paymentCompleted(userId, "pay-b", now.plus(Duration.ofDays(365)),
                paidAt.plus(Duration.ofSeconds(30)));
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), userId, CloudEventCodec.encode(stale));
        awaitApplied("auth.premium", stale.id());
        tokens = refresh(tokens);
        assertEquals(List.of("user"), groups(tokens));
        assertEquals(now, premiumUntilStored(userId));

        // paying again after the refund grants again, until what that payment says
        Instant renewedUntil = now.plus(Duration.ofDays(31));
        CloudEvent renewed = paymentCompleted(userId, "pay-c", renewedUntil, now.minus(Duration.ofMinutes(1)));
        KafkaTopics.send(EventType.PAYMENT_COMPLETED.topic(), userId, CloudEventCodec.encode(renewed));
        awaitApplied("auth.premium", renewed.id());
        tokens = refresh(tokens);
        assertEquals(List.of("user", "premium"), groups(tokens));
        assertEquals(renewedUntil, Instant.parse(tokens.getJsonObject("user").getString("premium_until")));

        // expiry without a premium_until, newer still: no premium at all
        CloudEvent expired = premiumChanged(userId, "expired", "", null, now.minusSeconds(30));
        KafkaTopics.send(EventType.PREMIUM_CHANGED.topic(), userId, CloudEventCodec.encode(expired));
        awaitApplied("auth.premium-changed", expired.id());
        tokens = refresh(tokens);
        assertEquals(List.of("user"), groups(tokens));
        assertNull(premiumUntilStored(userId));
    }

    @Test
    void aPremiumChangeWithoutAUserIsDeadLettered() {
        // a well-formed envelope (the codec refuses a blank subject itself) whose payload names no user
        String subject = UUID.randomUUID().toString();
        CloudEvent nonsense = new CloudEvent(UUID.randomUUID().toString(), "/payment-service",
                EventType.PREMIUM_CHANGED, Instant.now(), subject, premiumChanged(" ", "refund", "pay-x", Instant.now(),
                Instant.now()).data());
        KafkaTopics.send(EventType.PREMIUM_CHANGED.topic(), subject, CloudEventCodec.encode(nonsense));
        List<KafkaTopics.Record> dead = KafkaTopics.readUntil(EventType.PREMIUM_CHANGED.deadLetterTopic(),
                        Duration.ofSeconds(60), records -> records.stream().anyMatch(r -> r.value().contains(nonsense.id())))
                .stream().filter(r -> r.value().contains(nonsense.id())).toList();
        assertEquals(1, dead.size());
        assertEquals(EventType.PREMIUM_CHANGED.topic(), dead.get(0).headers().get("dlq-orig-topic"));
        assertTrue(dead.get(0).headers().get("dlq-error-msg").contains("no user_id"), dead.get(0).headers().toString());
    }

    // ---------------------------------------------------------------- discovery

    @Test
    void openApiListsTheRestEndpointsAndReflectionListsTheGrpcService() {
        String openapi = target.path("/openapi").request().accept("application/yaml").get(String.class);
        for (String path : List.of("/auth/signup", "/auth/login", "/auth/refresh", "/auth/logout", "/auth/me",
                "/.well-known/jwks.json")) {
            assertTrue(openapi.contains(path + ":"), "OpenAPI lists " + path);
        }
        assertTrue(reflectionServices().contains("auth.AuthService"), reflectionServices().toString());
    }

    // ---------------------------------------------------------------- helpers

    private JsonObject refresh(JsonObject tokens) {
        Response response = post("/auth/refresh", refreshBody(tokens.getString("refresh_token")), null);
        assertEquals(200, response.getStatus());
        return json(response);
    }

    private static List<String> groups(JsonObject tokens) throws ParseException {
        return SignedJWT.parse(tokens.getString("token")).getJWTClaimsSet().getStringListClaim("groups");
    }

    private static CloudEvent paymentCompleted(String userId, String paymentId, Instant premiumUntil,
                                               Instant completedAt) {
        return new CloudEvent(UUID.randomUUID().toString(), "/payment-service", EventType.PAYMENT_COMPLETED,
                completedAt, userId, PaymentCompleted.newBuilder()
                .setPaymentId(paymentId).setUserId(userId).setPlanId("premium-monthly").setAmount(9900)
                .setCurrency("KRW").setSubscriptionId("sub-" + userId)
                .setPremiumUntil(timestamp(premiumUntil)).setCompletedAt(timestamp(completedAt))
                .build());
    }

    /** {@code premiumUntil} null: the field is left unset (no premium). */
    private static CloudEvent premiumChanged(String userId, String reason, String paymentId, Instant premiumUntil,
                                             Instant changedAt) {
        PremiumChanged.Builder change = PremiumChanged.newBuilder().setUserId(userId).setSubscriptionId("sub-" + userId)
                .setReason(reason).setPaymentId(paymentId).setChangedAt(timestamp(changedAt));
        if (premiumUntil != null) {
            change.setPremiumUntil(timestamp(premiumUntil));
        }
        return new CloudEvent(UUID.randomUUID().toString(), "/payment-service", EventType.PREMIUM_CHANGED, changedAt,
                userId, change.build());
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Waits until {@code consumer} applied the event (its inbox row commits with the effect). */
    private static void awaitApplied(String consumer, String eventId) {
        // a topic created by the test's first record is found by the service's consumer within its metadata max age
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!applied(consumer, eventId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(consumer + " never applied event " + eventId);
            }
            sleep(100);
        }
    }

    private static boolean applied(String consumer, String eventId) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT 1 FROM auth.inbox_event WHERE consumer = ? AND event_id = ?")) {
            statement.setString(1, consumer);
            statement.setString(2, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Instant premiumUntilStored(String userId) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT premium_until FROM auth.users WHERE id = ?")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "user " + userId + " exists");
                OffsetDateTime until = rows.getObject(1, OffsetDateTime.class);
                return until == null ? null : until.toInstant();
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Set<String> jwksKids() {
        JsonObject jwks = json(target.path("/.well-known/jwks.json").request().get());
        return jwks.getJsonArray("keys").stream().map(k -> k.asJsonObject().getString("kid")).collect(Collectors.toSet());
    }

    private String adminToken() {
        return json(post("/auth/login", loginBody(AuthServiceSetup.ADMIN_EMAIL, AuthServiceSetup.ADMIN_PASSWORD), null))
                .getString("token");
    }

    private JsonObject signup(String email, String password) {
        Response response = post("/auth/signup", signupBody(email, password), null);
        assertEquals(201, response.getStatus(), () -> response.readEntity(String.class));
        return json(response);
    }

    /** JAX-RS's default client (HttpURLConnection) cannot send PATCH. */
    private HttpResponse<String> patchMe(String token, JsonObject body) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(target.path("/auth/me").getUri())
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonObject me(String token) {
        Response response = target.path("/auth/me").request().header("Authorization", "Bearer " + token).get();
        assertEquals(200, response.getStatus());
        return json(response);
    }

    private Response post(String path, JsonObject body, String token) {
        var request = target.path(path).request(MediaType.APPLICATION_JSON);
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.post(Entity.json(body.toString()));
    }

    private static JsonObject signupBody(String email, String password) {
        return Json.createObjectBuilder().add("email", email).add("password", password).build();
    }

    private static JsonObject loginBody(String email, String password) {
        return signupBody(email, password);
    }

    private static JsonObject refreshBody(String refreshToken) {
        return Json.createObjectBuilder().add("refresh_token", refreshToken).build();
    }

    private static JsonObject json(Response response) {
        return Json.createReader(new StringReader(response.readEntity(String.class))).readObject();
    }

    private static void assertProblem(Response response, int status, String field) {
        String body = response.readEntity(String.class);
        assertEquals(status, response.getStatus(), body);
        assertTrue(response.getMediaType().toString().startsWith("application/problem+json"), body);
        if (field != null) {
            assertEquals(field, Json.createReader(new StringReader(body)).readObject().getString("field"), body);
        }
    }

    private static String badRequestField(StatusRuntimeException e) {
        try {
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            for (var detail : status.getDetailsList()) {
                if (detail.is(BadRequest.class)) {
                    return detail.unpack(BadRequest.class).getFieldViolations(0).getField();
                }
            }
            return null;
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static String uniqueEmail() {
        return uniqueEmail("user");
    }

    private static String uniqueEmail(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test";
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = GrpcClients.plaintext(target.getUri().getPort());
        }
        return channel;
    }

    private AuthServiceGrpc.AuthServiceBlockingStub auth(String token) {
        AuthServiceGrpc.AuthServiceBlockingStub stub = AuthServiceGrpc.newBlockingStub(channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        return stub.withInterceptors(GrpcClients.bearer(token));
    }

    private List<String> reflectionServices() {
        var done = new java.util.concurrent.CompletableFuture<List<String>>();
        var requests = ServerReflectionGrpc.newStub(channel()).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
                done.complete(value.getListServicesResponse().getServiceList().stream()
                        .map(ServiceResponse::getName).toList());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package io.pawfiler.auth.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.api.events.UserProfileChanged;
import io.pawfiler.api.events.UserRegistered;
import io.pawfiler.auth.domain.AccountRules;
import io.pawfiler.auth.domain.PasswordHasher;
import io.pawfiler.auth.store.User;
import io.pawfiler.auth.store.UserStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;

/** Accounts: sign-up, sign-in, profile, paid period. */
@ApplicationScoped
public class AccountService {

    /** The same answer for an unknown email and a wrong password: callers must not learn which accounts exist. */
    static final String BAD_CREDENTIALS = "invalid email or password";

    private final UserStore users;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final Outbox outbox;
    private final PasswordHasher hasher;
    /** Verified against when the email is unknown, so both failures cost the same time. */
    private final String decoyHash;
    private final Clock clock = Clock.systemUTC();

    @Inject
    AccountService(UserStore users, SessionService sessions, LoginThrottle throttle, Outbox outbox,
                   @ConfigProperty(name = "pawfiler.auth.argon2.memory-kib") int memoryKib,
                   @ConfigProperty(name = "pawfiler.auth.argon2.iterations") int iterations,
                   @ConfigProperty(name = "pawfiler.auth.argon2.parallelism") int parallelism) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.outbox = outbox;
        this.hasher = new PasswordHasher(memoryKib, iterations, parallelism);
        this.decoyHash = hasher.hash(UUID.randomUUID().toString());
    }

    /** The fields a sign-up may send; nickname and avatar fall back to defaults when absent. */
    public record Signup(String email, String password, String nickname, String avatarEmoji) {
    }

    /** Creates the account, publishes {@code user.registered} in the same transaction, and signs it in. */
    @Transactional
    public Authenticated signup(Signup request) {
        User user = register(request, false);
        return sessions.start(user);
    }

    /** Creates an account without signing in (admin bootstrap). */
    @Transactional
    public User register(Signup request, boolean admin) {
        String email = AccountRules.normaliseEmail(request.email());
        AccountRules.checkPassword(request.password(), email);
        String nickname = isBlank(request.nickname())
                ? AccountRules.defaultNickname(email) : AccountRules.checkNickname(request.nickname());
        String avatar = isBlank(request.avatarEmoji())
                ? AccountRules.DEFAULT_AVATAR : AccountRules.checkAvatar(request.avatarEmoji());
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID().toString(), email, hasher.hash(request.password()), nickname, avatar,
                admin, now);
        if (!users.insertIfEmailFree(user)) {
            throw ApiException.alreadyExists("email", "an account with this email already exists");
        }
        outbox.publish(EventType.USER_REGISTERED, user.id(), UserRegistered.newBuilder()
                .setUserId(user.id())
                .setNickname(nickname)
                .setAvatarEmoji(avatar)
                .setRegisteredAt(timestamp(now))
                .build());
        return user;
    }

    /**
     * Checks the password (Argon2id, constant-time) unless the email is locked by too many failures.
     * {@code dontRollbackOn}: a failed attempt must still be counted.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public Authenticated login(String rawEmail, String password) {
        if (isBlank(rawEmail)) {
            throw ApiException.invalidArgument("email", "is required");
        }
        if (password == null || password.isEmpty()) {
            throw ApiException.invalidArgument("password", "is required");
        }
        String email = AccountRules.normaliseEmail(rawEmail);
        throttle.checkNotLocked(email);
        Optional<User> found = users.byEmail(email);
        boolean matches = hasher.verify(password, found.map(User::passwordHash).orElse(decoyHash));
        if (found.isEmpty() || !matches) {
            throttle.recordFailure(email);
            throw ApiException.unauthenticated(BAD_CREDENTIALS);
        }
        User user = found.get();
        throttle.clear(email);
        if (hasher.needsRehash(user.passwordHash())) {
            users.byIdForUpdate(user.id()).ifPresent(u -> u.changePasswordHash(hasher.hash(password), clock.instant()));
        }
        return sessions.start(user);
    }

    @Transactional
    public User profile(String userId) {
        return users.byId(userId).orElseThrow(() -> ApiException.notFound("no such user"));
    }

    /**
     * Changes the fields given (null = keep) and, when that changes anything, publishes {@code user.profile-changed}
     * with the whole card in the same transaction. Consumers keep the card with the newest changed_at; the row lock
     * makes one user's changes take their timestamps in the order they commit. Sending what is already there changes
     * nothing and publishes nothing.
     */
    @Transactional
    public User updateProfile(String userId, String nickname, String avatarEmoji) {
        if (nickname == null && avatarEmoji == null) {
            throw ApiException.invalidArgument("nickname", "give nickname and/or avatar_emoji to change");
        }
        String newNickname = nickname == null ? null : AccountRules.checkNickname(nickname);
        String newAvatar = avatarEmoji == null ? null : AccountRules.checkAvatar(avatarEmoji);
        User user = users.byIdForUpdate(userId).orElseThrow(() -> ApiException.notFound("no such user"));
        String nicknameAfter = newNickname != null ? newNickname : user.nickname();
        String avatarAfter = newAvatar != null ? newAvatar : user.avatarEmoji();
        if (nicknameAfter.equals(user.nickname()) && avatarAfter.equals(user.avatarEmoji())) {
            return user;
        }
        Instant now = clock.instant();
        user.changeProfile(nicknameAfter, avatarAfter, now);
        outbox.publish(EventType.USER_PROFILE_CHANGED, user.id(), UserProfileChanged.newBuilder()
                .setUserId(user.id())
                .setNickname(nicknameAfter)
                .setAvatarEmoji(avatarAfter)
                .setChangedAt(timestamp(now))
                .build());
        return user;
    }

    /** What {@link #changePremium} did. */
    public enum PremiumChange {
        APPLIED,
        /** payment-service made a newer change, applied already: this one is history. */
        SUPERSEDED,
        UNKNOWN_USER
    }

    /**
     * Sets the paid period to payment-service's {@code premiumUntil} (null: no premium) unless a change it made after
     * {@code changedAt} was applied already. Runs inside the payment.completed / premium.changed consumer's inbox
     * transaction; the row lock orders concurrent changes of one user. Tokens issued from then on carry {@code premium}
     * while the period lasts; tokens issued before keep what they say until they expire.
     */
    @Transactional
    public PremiumChange changePremium(String userId, Instant premiumUntil, Instant changedAt) {
        return users.byIdForUpdate(userId)
                .map(user -> user.changePremium(premiumUntil, changedAt, clock.instant())
                        ? PremiumChange.APPLIED : PremiumChange.SUPERSEDED)
                .orElse(PremiumChange.UNKNOWN_USER);
    }

    @Transactional
    public boolean adminExists() {
        return users.adminExists();
    }

    @Transactional
    public boolean emailTaken(String rawEmail) {
        return users.byEmail(AccountRules.normaliseEmail(rawEmail)).isPresent();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

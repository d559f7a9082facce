package io.pawfiler.auth.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pawfiler.auth.domain.PremiumChanges;

/** An account. Timestamps are OffsetDateTime because EclipseLink 4.0 does not map Instant. */
@Entity
@Table(name = "users")
public class User {

    @Id
    private String id;
    private String email;
    @Column(name = "password_hash")
    private String passwordHash;
    private String nickname;
    @Column(name = "avatar_emoji")
    private String avatarEmoji;
    @Column(name = "is_admin")
    private boolean admin;
    @Column(name = "premium_until")
    private OffsetDateTime premiumUntil;
    /** When payment-service made the change that set premium_until (see {@link PremiumChanges}). */
    @Column(name = "premium_changed_at")
    private OffsetDateTime premiumChangedAt;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected User() {
    }

    public User(String id, String email, String passwordHash, String nickname, String avatarEmoji, boolean admin,
                Instant now) {
        this.id = id;
        this.email = email;
        this.passwordHash = passwordHash;
        this.nickname = nickname;
        this.avatarEmoji = avatarEmoji;
        this.admin = admin;
        this.createdAt = utc(now);
        this.updatedAt = utc(now);
    }

    public String id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public String nickname() {
        return nickname;
    }

    public String avatarEmoji() {
        return avatarEmoji;
    }

    public boolean admin() {
        return admin;
    }

    public Instant premiumUntil() {
        return premiumUntil == null ? null : premiumUntil.toInstant();
    }

    public Instant createdAt() {
        return createdAt.toInstant();
    }

    public void changePasswordHash(String passwordHash, Instant now) {
        this.passwordHash = passwordHash;
        this.updatedAt = utc(now);
    }

    public void changeProfile(String nickname, String avatarEmoji, Instant now) {
        this.nickname = nickname;
        this.avatarEmoji = avatarEmoji;
        this.updatedAt = utc(now);
    }

    public Instant premiumChangedAt() {
        return premiumChangedAt == null ? null : premiumChangedAt.toInstant();
    }

    /**
     * payment-service's new end of the paid period ({@code until} null: none), made at {@code changedAt}; applied
     * only when newer than the change applied last, since payments and refunds reach us in any order.
     *
     * @return whether it was applied
     */
    public boolean changePremium(Instant until, Instant changedAt, Instant now) {
        if (!PremiumChanges.supersedes(changedAt, premiumChangedAt())) {
            return false;
        }
        this.premiumUntil = utc(until);
        this.premiumChangedAt = utc(changedAt);
        this.updatedAt = utc(now);
        return true;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

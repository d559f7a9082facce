package io.pawfiler.auth.store;

import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import static io.pawfiler.auth.store.User.utc;

/** One refresh token (by hash) in a family of rotations that began at one sign-in. */
@Entity
@Table(name = "sessions")
public class Session {

    @Id
    private String id;
    @Column(name = "family_id")
    private String familyId;
    @Column(name = "user_id")
    private String userId;
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;
    @Column(name = "used_at")
    private OffsetDateTime usedAt;
    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected Session() {
    }

    public Session(String id, String familyId, String userId, String tokenHash, Instant now, Instant expiresAt) {
        this.id = id;
        this.familyId = familyId;
        this.userId = userId;
        this.tokenHash = tokenHash;
        this.createdAt = utc(now);
        this.expiresAt = utc(expiresAt);
    }

    public String familyId() {
        return familyId;
    }

    public String userId() {
        return userId;
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt.toInstant());
    }

    public void markUsed(Instant now) {
        this.usedAt = utc(now);
    }
}

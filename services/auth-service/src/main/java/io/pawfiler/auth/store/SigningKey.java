package io.pawfiler.auth.store;

import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pawfiler.auth.tokens.KeyRotation;

import static io.pawfiler.auth.store.User.utc;

/** An RS256 key pair; the private half sealed (see KeySealer). */
@Entity
@Table(name = "signing_keys")
public class SigningKey {

    @Id
    private String kid;
    @Column(name = "public_key")
    private byte[] publicKey;
    @Column(name = "private_key_sealed")
    private byte[] privateKeySealed;
    @Column(name = "kdf_salt")
    private byte[] kdfSalt;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "activated_at")
    private OffsetDateTime activatedAt;
    @Column(name = "retired_at")
    private OffsetDateTime retiredAt;

    protected SigningKey() {
    }

    public SigningKey(String kid, byte[] publicKey, byte[] privateKeySealed, byte[] kdfSalt, Instant now) {
        this.kid = kid;
        this.publicKey = publicKey;
        this.privateKeySealed = privateKeySealed;
        this.kdfSalt = kdfSalt;
        this.createdAt = utc(now);
    }

    public String kid() {
        return kid;
    }

    public byte[] publicKey() {
        return publicKey;
    }

    public byte[] privateKeySealed() {
        return privateKeySealed;
    }

    public byte[] kdfSalt() {
        return kdfSalt;
    }

    public void activate(Instant now) {
        this.activatedAt = utc(now);
    }

    public void retire(Instant now) {
        this.retiredAt = utc(now);
    }

    public KeyRotation.KeyState state() {
        return new KeyRotation.KeyState(kid, createdAt.toInstant(),
                activatedAt == null ? null : activatedAt.toInstant(),
                retiredAt == null ? null : retiredAt.toInstant());
    }
}

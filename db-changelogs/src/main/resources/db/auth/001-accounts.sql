--liquibase formatted sql

--changeset auth:001-users
-- email is stored normalised (trimmed, lower case), so the unique index makes it case-insensitively unique.
CREATE TABLE users (
    id            VARCHAR(36) PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    nickname      VARCHAR(80)  NOT NULL,
    avatar_emoji  VARCHAR(64)  NOT NULL,
    is_admin      BOOLEAN      NOT NULL DEFAULT FALSE,
    premium_until TIMESTAMPTZ,
    created_at    TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);

--changeset auth:001-sessions
-- Ids are UUID strings (VARCHAR(36): JPA maps them without vendor converters).
-- One row per refresh token ever issued; a family is the chain of rotations that started at one login.
-- Only the SHA-256 of the token is kept. used_at set = rotated away; presenting it again revokes the family.
CREATE TABLE sessions (
    id          VARCHAR(36) PRIMARY KEY,
    family_id   VARCHAR(36) NOT NULL,
    user_id     VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  CHAR(64)    NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    CONSTRAINT sessions_token_hash_unique UNIQUE (token_hash)
);
CREATE INDEX sessions_family ON sessions (family_id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

--changeset auth:001-signing-keys
-- RS256 key pairs. activated_at NULL = the pre-published next key (already in the JWKS, not yet signing);
-- retired_at set = no longer signs, stays in the JWKS until the tokens it signed have expired.
-- The private key is AES-GCM encrypted with a key derived from the configured secret (kdf_salt per key).
CREATE TABLE signing_keys (
    kid                VARCHAR(64) PRIMARY KEY,
    public_key         BYTEA       NOT NULL,
    private_key_sealed BYTEA       NOT NULL,
    kdf_salt           BYTEA       NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    activated_at       TIMESTAMPTZ,
    retired_at         TIMESTAMPTZ
);

--changeset auth:001-login-throttle
-- Failed sign-ins per normalised email within the current window; locked_until set once the limit is hit.
CREATE TABLE login_throttle (
    email           VARCHAR(254) PRIMARY KEY,
    failed_attempts INTEGER      NOT NULL,
    window_started  TIMESTAMPTZ  NOT NULL,
    locked_until    TIMESTAMPTZ
);

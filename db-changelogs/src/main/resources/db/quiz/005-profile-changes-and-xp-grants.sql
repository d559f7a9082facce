--liquibase formatted sql

--changeset quiz:005-profile-changed-at
-- When the nickname/avatar held here was set by auth-service (user.registered's registered_at, user.profile-changed's
-- changed_at). The two topics are not ordered against each other and events are redelivered: a card is applied only
-- when it is newer than this, so a late or replayed event never brings back an older name. NULL: never set by auth.
ALTER TABLE user_profiles ADD COLUMN profile_changed_at TIMESTAMPTZ;

--changeset quiz:005-xp-grants
-- XP and coins granted outside the quiz (xp.granted), one row per grant_id. The inbox dedups deliveries of one event;
-- this key also makes two different events carrying the same grant_id credit once.
CREATE TABLE xp_grants (
    grant_id    VARCHAR(200) PRIMARY KEY,
    user_id     VARCHAR(64)  NOT NULL,
    xp          INTEGER      NOT NULL,
    coins       INTEGER      NOT NULL,
    reason      TEXT         NOT NULL,
    source_id   TEXT         NOT NULL,
    granted_at  TIMESTAMPTZ  NOT NULL,
    credited_at TIMESTAMPTZ  NOT NULL
);

--liquibase formatted sql

--changeset dashboard:002-quest-grants
-- Daily quest rewards granted (xp.granted published through the outbox), one row per user, quest and day: the
-- reward goes out once however often the completing events are delivered. Not part of the read model: a rebuild
-- keeps it, so replaying the topics grants nothing again.
CREATE TABLE quest_grants (
    user_id    VARCHAR(64) NOT NULL,
    quest_id   VARCHAR(32) NOT NULL,
    day        DATE        NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, quest_id, day)
);

--liquibase formatted sql

--changeset dashboard:001-users
-- One row per user the dashboard has heard of. Every event's effect starts by upserting this row, which locks it: the
-- events of one user apply one after the other even when they arrive on different topics at once.
-- as_of: the newest event time applied for the user. The card (nickname, emoji) is the newest by card_changed_at.
CREATE TABLE users (
    user_id         VARCHAR(64) PRIMARY KEY,
    nickname        VARCHAR(64),
    avatar_emoji    VARCHAR(32),
    card_changed_at TIMESTAMPTZ,
    as_of           TIMESTAMPTZ NOT NULL
);

--changeset dashboard:001-game-progress
-- The totals quiz-service last announced (xp.earned); the highest lifetime XP wins (GameProgress.later).
CREATE TABLE game_progress (
    user_id     VARCHAR(64) PRIMARY KEY,
    level       INTEGER     NOT NULL,
    tier_name   VARCHAR(64) NOT NULL,
    total_xp    BIGINT      NOT NULL,
    total_coins BIGINT      NOT NULL,
    earned_at   TIMESTAMPTZ NOT NULL
);

--changeset dashboard:001-quiz-stats
CREATE TABLE quiz_stats (
    user_id          VARCHAR(64) PRIMARY KEY,
    total_answered   BIGINT      NOT NULL,
    correct_count    BIGINT      NOT NULL,
    current_streak   INTEGER     NOT NULL,
    streak_at        TIMESTAMPTZ,
    best_streak      INTEGER     NOT NULL,
    last_answered_at TIMESTAMPTZ
);

--changeset dashboard:001-analyses
-- One row per video task, from video.uploaded and analysis.completed in either order.
CREATE TABLE analyses (
    task_id      VARCHAR(64)      PRIMARY KEY,
    user_id      VARCHAR(64)      NOT NULL,
    filename     TEXT             NOT NULL,
    status       VARCHAR(16)      NOT NULL,
    verdict      VARCHAR(16)      NOT NULL,
    confidence   DOUBLE PRECISION NOT NULL,
    uploaded_at  TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    sort_at      TIMESTAMPTZ      NOT NULL
);
CREATE INDEX analyses_user_recent ON analyses (user_id, sort_at DESC, task_id DESC);

--changeset dashboard:001-subscriptions
CREATE TABLE subscriptions (
    user_id         VARCHAR(64) PRIMARY KEY,
    premium_until   TIMESTAMPTZ,
    plan_id         VARCHAR(64) NOT NULL,
    changed_at      TIMESTAMPTZ,
    last_payment_at TIMESTAMPTZ
);

--changeset dashboard:001-daily-tallies
-- Per user and day (of pawfiler.dashboard.zone at the time the event was applied; a rebuild re-derives the days):
-- sums of distinct events, for "XP today" and the daily quests.
CREATE TABLE daily_tallies (
    user_id VARCHAR(64) NOT NULL,
    day     DATE        NOT NULL,
    metric  VARCHAR(32) NOT NULL,
    amount  BIGINT      NOT NULL,
    PRIMARY KEY (user_id, day, metric)
);

--changeset dashboard:001-activities
-- The activity feed; id = the source event's id. Pages are keyset ranges of the index (never OFFSET).
CREATE TABLE activities (
    id          VARCHAR(64)  PRIMARY KEY,
    user_id     VARCHAR(64)  NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    title       VARCHAR(200) NOT NULL,
    icon        VARCHAR(16)  NOT NULL,
    xp          INTEGER      NOT NULL,
    coins       INTEGER      NOT NULL,
    occurred_at TIMESTAMPTZ  NOT NULL,
    ref_id      VARCHAR(200) NOT NULL
);
CREATE INDEX activities_user_feed ON activities (user_id, occurred_at DESC, id DESC);

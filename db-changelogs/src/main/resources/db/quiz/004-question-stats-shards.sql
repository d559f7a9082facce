--liquibase formatted sql

--changeset quiz:004-question-stats-shards
-- Every answer counts itself in question_stats inside its own transaction. With one row per question, all answers
-- to a popular question queued on that row's lock; an answer now adds to one of a few shards of its question
-- (picked at random) and readers sum the shards. Existing totals stay in shard 0.
ALTER TABLE question_stats ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE question_stats DROP CONSTRAINT question_stats_pkey;
ALTER TABLE question_stats ADD PRIMARY KEY (question_id, shard);

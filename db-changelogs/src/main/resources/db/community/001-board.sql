--liquibase formatted sql

--changeset community:001-author-cards
-- Who wrote what, as users call themselves now: from user.registered and user.profile-changed (auth-service),
-- or SyncAuthorNickname. Posts and comments keep only author_id and join this, so a rename shows everywhere at once.
-- changed_at orders updates: an older event never overwrites a newer name.
CREATE TABLE author_cards (
    user_id      VARCHAR(64)  PRIMARY KEY,
    nickname     VARCHAR(64)  NOT NULL,
    avatar_emoji VARCHAR(32)  NOT NULL,
    changed_at   TIMESTAMPTZ  NOT NULL
);

--changeset community:001-media
-- Stored media, content-addressed (storage_key = sha256 + extension). Many posts may share one object; it is
-- deleted when the last post that names it goes.
CREATE TABLE media_objects (
    storage_key  VARCHAR(80)  PRIMARY KEY,
    content_type VARCHAR(100) NOT NULL,
    media_type   VARCHAR(10)  NOT NULL CHECK (media_type IN ('image', 'video')),
    size_bytes   BIGINT       NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);

--changeset community:001-posts
-- likes/comments/true_votes/false_votes are counters kept in the same transaction as the row they count (the
-- post's row lock orders concurrent changes), so a page never aggregates.
-- is_correct: the author's answer for an "is this real?" post (NULL: not a vote post).
CREATE TABLE posts (
    id            VARCHAR(36)   PRIMARY KEY,
    author_id     VARCHAR(64)   NOT NULL,
    title         VARCHAR(100)  NOT NULL,
    body          VARCHAR(5000) NOT NULL,
    tags          VARCHAR(20)[] NOT NULL DEFAULT '{}',
    media_url     VARCHAR(2048),
    media_type    VARCHAR(10),
    media_key     VARCHAR(80)   REFERENCES media_objects (storage_key),
    is_admin_post BOOLEAN       NOT NULL DEFAULT false,
    is_correct    BOOLEAN,
    likes         INTEGER       NOT NULL DEFAULT 0 CHECK (likes >= 0),
    comments      INTEGER       NOT NULL DEFAULT 0 CHECK (comments >= 0),
    true_votes    INTEGER       NOT NULL DEFAULT 0 CHECK (true_votes >= 0),
    false_votes   INTEGER       NOT NULL DEFAULT 0 CHECK (false_votes >= 0),
    created_at    TIMESTAMPTZ   NOT NULL,
    updated_at    TIMESTAMPTZ   NOT NULL
);
-- The feed's order (admin posts first, then newest): a page is an index range scan.
CREATE INDEX posts_feed ON posts (is_admin_post DESC, created_at DESC, id DESC);
-- Today's and this fortnight's posts (hot topic).
CREATE INDEX posts_created ON posts (created_at);
-- Rate limits, activity counts.
CREATE INDEX posts_author ON posts (author_id, created_at DESC);
CREATE INDEX posts_media_key ON posts (media_key) WHERE media_key IS NOT NULL;
-- Exact tag matches (search, notices, hot topic): tags @> ARRAY[...].
CREATE INDEX posts_tags ON posts USING gin (tags);

--changeset community:001-search runInTransaction:true
-- Substring search (ILIKE '%q%') in titles and bodies through trigram GIN indexes. Chosen over full-text search:
-- Korean attaches particles to words (딥페이크를, 딥페이크가), so a word-based tsvector with the 'simple'
-- configuration misses most matches, and PostgreSQL ships no Korean dictionary; trigrams match any substring of
-- three or more characters in any script, as long as the database's LC_CTYPE is a UTF-8 locale (C.UTF-8,
-- en_US.UTF-8, ko_KR.UTF-8; under plain C, Hangul is not a word character and only the recheck would find it).
-- pg_trgm is a trusted extension: a database owner may create it. It lives in public, shared by all schemas.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX posts_title_trgm ON posts USING gin (title public.gin_trgm_ops);
CREATE INDEX posts_body_trgm ON posts USING gin (body public.gin_trgm_ops);

--changeset community:001-post-count
-- Posts in the feed, for total_count without counting a million rows per page. Sharded like quiz's
-- question_stats, so posting at once from many users does not queue on one row.
CREATE TABLE post_count_shards (
    shard SMALLINT PRIMARY KEY,
    posts BIGINT   NOT NULL DEFAULT 0
);
INSERT INTO post_count_shards (shard) SELECT generate_series(0, 15);

--changeset community:001-comments
CREATE TABLE comments (
    id         VARCHAR(36)   PRIMARY KEY,
    post_id    VARCHAR(36)   NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id  VARCHAR(64)   NOT NULL,
    body       VARCHAR(1000) NOT NULL,
    created_at TIMESTAMPTZ   NOT NULL
);
CREATE INDEX comments_post ON comments (post_id, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at DESC);

--changeset community:001-likes
CREATE TABLE post_likes (
    post_id    VARCHAR(36) NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    VARCHAR(64) NOT NULL,
    -- the post's author, so "likes received this month" needs no join on a million posts
    author_id  VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_likes_user ON post_likes (user_id);
-- Likes a user received (activity counts) and this month's likes (top detective).
CREATE INDEX post_likes_received ON post_likes (author_id);
CREATE INDEX post_likes_created ON post_likes (created_at);

--changeset community:001-votes
-- One vote per reader and post; correct: whether it matched the post's is_correct (NULL when the post has none).
CREATE TABLE post_votes (
    post_id    VARCHAR(36) NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    VARCHAR(64) NOT NULL,
    vote       BOOLEAN     NOT NULL,
    correct    BOOLEAN,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
-- Rate limits and activity counts.
CREATE INDEX post_votes_user ON post_votes (user_id, created_at DESC);

-- EXPLAIN (ANALYZE, BUFFERS) of the queries community-service runs per GetFeed / search / GetPost, on the seed of
-- seed-1m-posts.sql: each query once to warm the caches, then explained. First as the service was going to run
-- them ("as specified"), then in the form recommended in benchmarks/README.md ("proposed"). Run:
--   PGPASSWORD=postgres psql -h localhost -p 15432 -U postgres -d pawfiler -f benchmarks/community-queries/explain-queries.sql
-- One search word only: add `-v q=영상` (and `-v only_search=1` to skip the feed and GetPost part). Without it, the
-- words below (common, mid, rare, none; 3+ and 2 characters) are explained in turn, title then all; that takes a few
-- minutes, most of it the as-specified forms of rare and absent words, which scan the whole table (seconds each).
\set ON_ERROR_STOP on
\pset pager off
SET search_path = community, public;

\if :{?only_search}
\else
\echo '=== feed page 1 (as specified)'
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 0 \g /dev/null
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 0;

\echo '=== feed page 50 (as specified): the join runs for all 750 rows before OFFSET drops 735'
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 735;

\echo '=== feed page 50 (proposed): skip the offset in posts_feed alone (index-only), then fetch and join 15 rows'
SELECT p.*, a.nickname, a.avatar_emoji
FROM (SELECT id FROM community.posts ORDER BY is_admin_post DESC, created_at DESC, id DESC LIMIT 15 OFFSET 735) k
JOIN community.posts p ON p.id = k.id LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC \g /dev/null
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji
FROM (SELECT id FROM community.posts ORDER BY is_admin_post DESC, created_at DESC, id DESC LIMIT 15 OFFSET 735) k
JOIN community.posts p ON p.id = k.id LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC;

\echo '=== feed page 1000 (as specified, then proposed)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 14985;
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji
FROM (SELECT id FROM community.posts ORDER BY is_admin_post DESC, created_at DESC, id DESC LIMIT 15 OFFSET 14985) k
JOIN community.posts p ON p.id = k.id LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC;

\echo '=== feed total_count'
EXPLAIN (ANALYZE, BUFFERS) SELECT sum(posts) FROM community.post_count_shards;

\echo '=== GetPost by id (a post from a year ago), and the reader''s vote (votes_revealed)'
SELECT id AS post_id FROM community.posts ORDER BY is_admin_post DESC, created_at DESC, id DESC OFFSET 500000 LIMIT 1 \gset
SELECT user_id AS reader_id FROM community.author_cards ORDER BY user_id LIMIT 1 \gset
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
WHERE p.id = :'post_id' \g /dev/null
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
WHERE p.id = :'post_id';
EXPLAIN (ANALYZE, BUFFERS)
SELECT vote FROM community.post_votes WHERE post_id = :'post_id' AND user_id = :'reader_id';
\endif

\if :{?q}
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\else
\set q 딥페이크
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\set q 보이스피싱
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\set q 포렌식
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\set q 없는단어
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\set q 영상
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\set q 귓불
\set kind title
\ir explain-search.sql
\set kind all
\ir explain-search.sql
\endif

-- Fills schema community with 1 000 000 posts by 20 000 authors (author_cards), for the feed, search and GetPost
-- benchmarks (explain-queries.sql, and load-harness's CommunityFeedLoad). Run it against a schema that the
-- service's Liquibase created (db-changelogs/src/main/resources/db/community/001-board.sql), e.g. while
-- `./pawfiler up` is running:
--   PGPASSWORD=postgres psql -h localhost -p 15432 -U postgres -d pawfiler -f benchmarks/community-queries/seed-1m-posts.sql
--
-- What it writes (all set-based, generate_series; setseed makes the text the same on every run, ids and times are
-- derived from the row number and now()):
--   * author_cards: 20 000 authors `seed-author-<n>` as UUIDs (md5-derived, version-4 shaped), nicknames such as
--     `탐정_123` / `detective_123`, an animal emoji; authors 1..5 write the admin posts. Real users' cards are
--     left alone.
--   * media_objects: 20 000 content-addressed objects (sha256-like key + .jpg/.png/.mp4); about 10% of the
--     posts carry one (media_url, media_type, media_key), most of those are "is this real?" vote posts.
--   * posts: 1 000 000 rows, ids random-looking UUIDs, created_at spread evenly over the last 730 days and
--     inserted in time order (as a live table grows); titles of 3-10 words (<= 100 chars), bodies of 50-500
--     chars, words drawn Zipf-like (P(rank r) ~ 1/(r + 20)) from ~120 Korean and ~80 English words of a
--     deepfake-awareness board, 3/4 of the posts mostly Korean, the rest mostly English; half of a body's words are
--     function words (그리고, 하지만, the, is...), Korean words carry a particle 30% of the time (딥페이크를);
--     15 rare words (e.g. 포렌식, 귓불, provenance) appear in ~0.2% of titles and ~0.3% of bodies between them
--     (~100-200 posts each). The result at 1M: 딥페이크 in 10% of titles and 38% of bodies, 영상 9% / 37%,
--     학생 2% / 10%, 포렌식 125 / 167 posts. 0-3 of 50 tags (mean 1.3);
--     ~1% admin posts (tagged 공지 mostly, half of them quiz posts with is_correct); likes/comments skewed random,
--     true/false votes on vote posts. Counters are denormalized: no comment/like/vote rows are written.
--   * post_count_shards: the 16 shards sum to count(*) of posts (the feed's total_count).
--
-- Idempotent-ish: it REFUSES to run when community.posts already has rows. With `-v reset=1` it first TRUNCATEs
-- posts (and, through their foreign keys, comments, post_likes, post_votes), media_objects, the seeded author
-- cards and the post counters: that deletes every post in the database, real ones too.
-- Smaller runs: `-v posts=100000 -v authors=2000`.
--
-- How: the posts' secondary indexes (feed, author, tags, media, the two trigram GINs) are dropped, the rows
-- inserted, and the indexes re-created from their own definitions (pg_get_indexdef), all in one transaction, so a
-- failure leaves the schema as it was. Meanwhile the table is locked (ACCESS EXCLUSIVE): the service's queries
-- on posts wait. Then VACUUM (ANALYZE), so index-only scans and planner statistics are those of a settled table.
-- Takes about 8 minutes on the 2-core development machine (PostgreSQL 17, 1M posts): 4.3 min the rows, 3.5 min the
-- indexes (3 of them the body's trigram GIN: it is CPU-bound, maintenance_work_mem hardly matters); 1.4 GB on disk.
\set ON_ERROR_STOP on
\if :{?posts}
\else
  \set posts 1000000
\endif
\if :{?authors}
\else
  \set authors 20000
\endif
\if :{?reset}
\else
  \set reset 0
\endif
\timing on
SET search_path = community, public;

SELECT set_config('seed.reset', :'reset', false);
DO $$
DECLARE
    existing bigint;
BEGIN
    IF to_regclass('community.posts') IS NULL THEN
        RAISE EXCEPTION 'no table community.posts: start the service (or ./pawfiler up) once so Liquibase creates schema community';
    END IF;
    SELECT count(*) INTO existing FROM (SELECT 1 FROM community.posts LIMIT 1000001) c;
    IF existing > 0 AND current_setting('seed.reset') NOT IN ('1', 'true', 'on', 'yes') THEN
        RAISE EXCEPTION 'community.posts already has % rows: refusing to seed on top of them. Re-run with -v reset=1 to TRUNCATE posts (every post, comment, like and vote), media_objects and the seeded author cards first', existing;
    END IF;
END $$;

BEGIN;
SET LOCAL maintenance_work_mem = '512MB';
-- Memoize would cache a lateral subquery's result by its parameters, ignoring the random() inside: a few dozen
-- distinct titles and bodies instead of a million.
SET LOCAL enable_memoize = off;
SELECT setseed(0.4242);

\if :reset
\echo 'reset=1: truncating posts, comments, post_likes, post_votes, media_objects; deleting seeded author cards'
TRUNCATE posts, comments, post_likes, post_votes, media_objects;
UPDATE post_count_shards SET posts = 0;
DELETE FROM author_cards
WHERE user_id IN (SELECT overlay(overlay(md5('seed-author-' || n) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid::text
                  FROM generate_series(1, :authors) n);
\endif

\echo 'author_cards'
INSERT INTO author_cards (user_id, nickname, avatar_emoji, changed_at)
SELECT overlay(overlay(md5('seed-author-' || n) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid::text,
       CASE WHEN n <= 5 THEN '운영자' || n
            ELSE (ARRAY['탐정', '분석가', '감별사', '헌터', '관찰자', '진실', '픽셀', 'detective', 'watcher', 'seeker',
                        'fact_checker', 'pixel'])[1 + floor(random() * 12)::int] || '_' || n END,
       (ARRAY['🐶', '🐱', '🦊', '🐼', '🐯', '🦁', '🐸', '🐵', '🐰', '🐻', '🐨', '🐹', '🦉', '🐧', '🐙', '🦄'])[1 + floor(random() * 16)::int],
       now() - random() * interval '730 days'
FROM generate_series(1, :authors) n;

\echo 'media_objects'
INSERT INTO media_objects (storage_key, content_type, media_type, size_bytes, created_at)
SELECT encode(sha256(('seed-media-' || n)::bytea), 'hex') || (ARRAY['.jpg', '.png', '.mp4'])[1 + n % 3],
       (ARRAY['image/jpeg', 'image/png', 'video/mp4'])[1 + n % 3],
       CASE WHEN n % 3 = 2 THEN 'video' ELSE 'image' END,
       CASE WHEN n % 3 = 2 THEN 2000000 + floor(random() * 60000000)::bigint ELSE 50000 + floor(random() * 4000000)::bigint END,
       now() - random() * interval '730 days'
FROM generate_series(1, 20000) n;

-- the posts' secondary indexes: dropped for the bulk insert, re-created below from these definitions
CREATE TEMP TABLE seed_post_indexes ON COMMIT DROP AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indrelid = 'community.posts'::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
SELECT name FROM seed_post_indexes ORDER BY name;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name FROM seed_post_indexes LOOP
        EXECUTE 'DROP INDEX ' || r.name;
    END LOOP;
END $$;

-- pick(words, k): a word drawn Zipf-Mandelbrot-like, P(rank r) ~ 1/(r + k): the first words are the most
-- frequent, a larger k flattens the head. An inlined SQL expression (no call overhead).
CREATE FUNCTION pg_temp.pick(words text[], k float8) RETURNS text LANGUAGE sql VOLATILE AS
$$ SELECT words[floor((k + 1) * exp(random() * ln((cardinality(words) + k + 1) / (k + 1))) - k)::int] $$;

\echo 'posts'
INSERT INTO posts (id, author_id, title, body, tags, media_url, media_type, media_key, is_admin_post, is_correct,
                   likes, comments, true_votes, false_votes, created_at, updated_at)
-- The vocabulary, a CTE (in memory; a temp table's row would be TOASTed and decompressed at every pick: 10x
-- slower). In each list the order is rank: the first words are the most frequent.
WITH w AS MATERIALIZED (
    SELECT ARRAY['딥페이크', '영상', '진짜', '가짜', '얼굴', '합성', '탐지', '사진', '확인', '방법', '질문', '목소리',
                 '구별', '이거', '혹시', '정말', '같아요', '판별', '조작', '의심', '뉴스', '유튜브', '틱톡', '인스타',
                 '연예인', '정치인', '사기', '보이스피싱', '피해', '주의', '신고', '정보', '공유', '후기', '분석', '결과',
                 '정확도', '인공지능', '생성형', '눈', '입술', '그림자', '조명', '피부', '머리카락', '배경', '경계선',
                 '프레임', '깜빡임', '부자연스러운', '어색한', '움직임', '표정', '화질', '해상도', '압축', '노이즈', '픽셀',
                 '메타데이터', '원본', '출처', '검증', '팩트체크', '기사', '댓글', '커뮤니티', '퀴즈', '정답', '오답',
                 '점수', '랭킹', '레벨', '도전', '오늘', '어제', '요즘', '처음', '드디어', '완전', '너무', '조금', '많이',
                 '어떻게', '왜', '누가', '저거', '보세요', '알려주세요', '궁금해요', '맞나요', '봤는데', '교육', '학교',
                 '학생', '부모님', '아이들', '친구', '회사', '보안', '개인정보', '초상권', '법률', '처벌', '규제', '플랫폼',
                 '앱', '업데이트', '기능', '버그', '건의', '이벤트', '탐정', '실험', '비교', '음성', '변조', '광고', '투자',
                 '가상인간', '립싱크', '필터', '보정', '카메라', '스마트폰'] AS ko,
           ARRAY['AI', 'deepfake', 'video', 'real', 'fake', 'face', 'swap', 'detection', 'model', 'GAN', 'voice', 'clone',
                 'audio', 'lip', 'sync', 'blink', 'lighting', 'shadow', 'artifact', 'frame', 'compression', 'metadata',
                 'source', 'original', 'fact', 'check', 'news', 'viral', 'scam', 'fraud', 'phishing', 'celebrity',
                 'election', 'misinformation', 'synthetic', 'generated', 'manipulated', 'edited', 'filter', 'app', 'tool',
                 'tutorial', 'tip', 'question', 'help', 'analysis', 'result', 'accuracy', 'score', 'quiz', 'ranking',
                 'challenge', 'today', 'finally', 'really', 'suspicious', 'weird', 'obvious', 'subtle', 'resolution',
                 'noise', 'background', 'edge', 'skin', 'hair', 'mouth', 'expression', 'camera', 'photo', 'image',
                 'upload', 'report', 'guide', 'beginner', 'update', 'diffusion', 'Sora', 'Midjourney', 'YouTube',
                 'TikTok'] AS en,
           -- function words, half of a body's words
           ARRAY['그리고', '그런데', '하지만', '근데', '이건', '저는', '제가', '우리', '있습니다', '없어요', '합니다',
                 '했는데', '같은데', '보니까', '있는', '하는', '되는', '것', '수', '때', '좀', '더', '잘', '안', '못', '다',
                 '또', '이런', '그런', '어떤', '진짜로', '아마', '역시', '그냥', '일단', '계속', '이제', '벌써', '다시',
                 '혹시나', '생각', '정도', '부분', '경우', '요즘은', '예전에', '이번에', '여기', '거기', '모두'] AS ko_fn,
           ARRAY['the', 'a', 'is', 'it', 'this', 'that', 'to', 'of', 'and', 'in', 'for', 'on', 'with', 'was', 'I',
                 'you', 'we', 'they', 'but', 'not', 'can', 'be', 'have', 'just', 'so', 'if', 'or', 'my', 'there', 'about',
                 'what', 'how', 'when', 'do', 'does', 'one', 'like', 'looks', 'seems', 'think'] AS en_fn,
           -- Korean attaches particles to words (딥페이크를, 영상이): why search is by substring, not by word
           ARRAY['을', '를', '이', '가', '은', '는', '에', '의', '로', '도', '만', '에서', '으로', '처럼', '인데', '이라고'] AS particles,
           ARRAY['워터마크', '역추적', '포렌식', '스펙트로그램', '동공반사', '광대뼈', '귓불', 'HeyGen', 'ElevenLabs',
                 'watermark', 'forensics', 'spectrogram', 'provenance', 'C2PA', '아티팩트분석'] AS rare,
           -- 공지 (notice) is left to admin posts
           ARRAY['딥페이크', '질문', '정보', '후기', '팁', '토론', '뉴스', '영상', '사진', '음성', '탐지', '판별', '퀴즈',
                 '진짜가짜', '신고', '주의', '사기', '보이스피싱', '교육', '연예인', '정치', '유튜브', '틱톡', '인스타그램',
                 'AI', 'deepfake', 'GAN', '생성형AI', '얼굴합성', '립싱크', '가상인간', '분석', '도구', '앱추천', '초보',
                 '고수', '챌린지', '이벤트', '건의', '버그', '자유', '잡담', '일상', '학교', '보안', '개인정보', '법률',
                 '해외', '국내'] AS tags,
           ARRAY['[질문] ', '[정보] ', '[후기] ', '[긴급] ', '[Q] ', '[팁] '] AS prefixes,
           ARRAY['.', '.', '.', '?', '!', '...', '?', 'ㅋㅋ', '요.', '!!'] AS stops
)
SELECT overlay(overlay(md5('seed-post-' || g) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid::text,
       overlay(overlay(md5('seed-author-' || r.author) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid::text,
       left(t.title, 100),
       b.body,
       tg.tags,
       CASE WHEN r.media THEN 'http://localhost:8083/media/' || m.key END,
       CASE WHEN r.media THEN m.media_type END,
       CASE WHEN r.media THEN m.key END,
       r.admin,
       CASE WHEN r.vote THEN random() < 0.5 END,
       floor(power(random(), 3) * 300)::int,
       floor(power(random(), 3) * 80)::int,
       CASE WHEN r.vote THEN floor(power(random(), 2) * 400)::int ELSE 0 END,
       CASE WHEN r.vote THEN floor(power(random(), 2) * 400)::int ELSE 0 END,
       r.created_at,
       CASE WHEN random() < 0.05 THEN least(now(), r.created_at + random() * interval '3 days') ELSE r.created_at END
FROM w
CROSS JOIN generate_series(1, :posts) g
-- per-post draws; each lateral subquery mentions g (or r) so it is evaluated once per row
CROSS JOIN LATERAL (SELECT g AS seq, random() < 0.01 AS admin) a
CROSS JOIN LATERAL (
    -- vote posts carry media; admin posts are quiz posts half the time
    SELECT a.seq, a.admin, CASE WHEN a.admin THEN random() < 0.5 ELSE random() < 0.08 END AS vote
) v
CROSS JOIN LATERAL (
    SELECT v.seq, v.admin, v.vote,
           v.vote OR random() < 0.03 AS media,
           random() < 0.75 AS korean,
           CASE WHEN v.admin THEN 1 + floor(random() * 5)::int
                ELSE 6 + floor(power(random(), 2) * (:authors - 5))::int END AS author,
           3 + floor(random() * 8)::int AS title_words,
           50 + floor(random() * 451)::int AS body_chars,
           now() - interval '730 days' * (1 - v.seq::float8 / :posts) - random() * interval '60 seconds' AS created_at,
           1 + floor(random() * 20000)::int AS media_pick
) r
CROSS JOIN LATERAL (
    SELECT encode(sha256(('seed-media-' || r.media_pick)::bytea), 'hex') || (ARRAY['.jpg', '.png', '.mp4'])[1 + r.media_pick % 3] AS key,
           CASE WHEN r.media_pick % 3 = 2 THEN 'video' ELSE 'image' END AS media_type
) m
CROSS JOIN LATERAL (
    -- 3-10 words from the vocabulary, 85% in the post's language
    SELECT CASE WHEN random() < 0.10 THEN w.prefixes[1 + floor(random() * 6)::int] ELSE '' END
           || string_agg(word, ' ')
           || CASE WHEN random() < 0.002 THEN ' ' || w.rare[1 + floor(random() * 15)::int] ELSE '' END
           || CASE WHEN random() < 0.25 THEN '?' ELSE '' END AS title
    FROM (SELECT CASE WHEN (random() < 0.85) = r.korean THEN pg_temp.pick(w.ko, 20) ELSE pg_temp.pick(w.en, 20) END AS word
          FROM generate_series(1, r.title_words)) words
) t
CROSS JOIN LATERAL (
    -- half function words, half vocabulary (Korean ones with a particle 30% of the time), some sentence ends;
    -- enough of them for body_chars, cut back to the last whole word (never under 50 chars); a rare word first
    -- in 0.3% of the bodies
    SELECT CASE WHEN length(s) <= r.body_chars THEN s
                ELSE left(s, greatest(50, length(substring(left(s, r.body_chars + 1) FROM '^(.*) ')))) END AS body
    FROM (SELECT CASE WHEN random() < 0.003 THEN w.rare[1 + floor(random() * 15)::int] || ' ' ELSE '' END
                 || string_agg(word || CASE WHEN random() < 0.12 THEN w.stops[1 + floor(random() * 10)::int] ELSE '' END, ' ') AS s
          FROM (SELECT CASE WHEN (random() < 0.85) = r.korean
                            THEN CASE WHEN random() < 0.5 THEN pg_temp.pick(w.ko_fn, 3)
                                      ELSE pg_temp.pick(w.ko, 20)
                                           || CASE WHEN random() < 0.3 THEN pg_temp.pick(w.particles, 3) ELSE '' END END
                            ELSE CASE WHEN random() < 0.5 THEN pg_temp.pick(w.en_fn, 3) ELSE pg_temp.pick(w.en, 20) END
                       END AS word
                FROM generate_series(1, r.body_chars * 2 / 5 + 2)) words) s
) b
CROSS JOIN LATERAL (
    SELECT CASE WHEN r.admin AND random() < 0.7 THEN ARRAY['공지']::varchar(20)[] ELSE '{}' END
           || coalesce(array_agg(DISTINCT tag), '{}')::varchar(20)[] AS tags
    FROM (SELECT pg_temp.pick(w.tags, 3) AS tag
          -- 0 tags: 25%, 1: 35%, 2: 25%, 3: 15%
          FROM generate_series(1, (ARRAY[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3])[1 + floor(random() * 20)::int + 0 * r.seq])) picks
) tg;

\echo 'post_count_shards: 16 shards summing to count(*)'
UPDATE post_count_shards s
SET posts = c.total / 16 + CASE WHEN s.shard < c.total % 16 THEN 1 ELSE 0 END
FROM (SELECT count(*) AS total FROM posts) c;

\echo 're-creating the posts indexes'
DO $$
DECLARE
    r record;
    started timestamptz;
BEGIN
    FOR r IN SELECT name, definition FROM seed_post_indexes ORDER BY name LOOP
        started := clock_timestamp();
        EXECUTE r.definition;
        RAISE NOTICE '% re-created in % s', r.name, round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
    END LOOP;
END $$;
COMMIT;

\echo 'VACUUM (ANALYZE)'
VACUUM (ANALYZE) author_cards;
VACUUM (ANALYZE) media_objects;
VACUUM (ANALYZE) post_count_shards;
VACUUM (ANALYZE) posts;

SELECT (SELECT count(*) FROM posts) AS posts,
       (SELECT sum(posts) FROM post_count_shards) AS shard_total,
       (SELECT count(*) FROM posts WHERE is_admin_post) AS admin_posts,
       (SELECT count(*) FROM author_cards) AS author_cards,
       pg_size_pretty(pg_table_size('posts')) AS posts_table,
       pg_size_pretty(pg_indexes_size('posts')) AS posts_indexes;

-- Included by explain-queries.sql with :q (the search word) and :kind (title or all) set: the search page and its
-- capped count as specified, then the proposed forms (see benchmarks/README.md, "community search"):
--   * the tag term only when :q is a tag in use (here: in pg_stats' most common elements of posts.tags); otherwise
--     the planner assumes 0.3% of posts carry any unknown tag, and picks the feed-order scan for rare words;
--   * 1-2 character words matched at a word start (`col ILIKE q%` or `col ILIKE '% q%'`): pg_trgm then has the
--     padded word-start trigrams to look up, where '%q%' gives it none (a full index scan, seconds);
--   * the author join after LIMIT;
--   * total_count: the planner's row estimate (EXPLAIN), counted exactly (capped) only when it is small.
\echo
\echo '################ search' :kind :'q'
SELECT CASE WHEN :'kind' = 'title'
            THEN format('(p.title ILIKE %L OR p.tags @> ARRAY[%L]::varchar(20)[])', '%' || :'q' || '%', :'q')
            ELSE format('(p.title ILIKE %L OR p.body ILIKE %L OR p.tags @> ARRAY[%L]::varchar(20)[])',
                        '%' || :'q' || '%', '%' || :'q' || '%', :'q') END AS cond_specified \gset
SELECT '(' || concat_ws(' OR ', VARIADIC
           (SELECT array_agg(CASE WHEN char_length(:'q') >= 3 THEN format('p.%I ILIKE %L', col, '%' || :'q' || '%')
                                  ELSE format('p.%I ILIKE %L OR p.%I ILIKE %L', col, :'q' || '%', col, '% ' || :'q' || '%') END)
            FROM unnest(CASE WHEN :'kind' = 'title' THEN ARRAY['title'] ELSE ARRAY['title', 'body'] END) col)
           || CASE WHEN :'q' = ANY (SELECT unnest(most_common_elems::text::text[]) FROM pg_stats
                                    WHERE schemaname = 'community' AND tablename = 'posts' AND attname = 'tags')
                   THEN ARRAY[format('p.tags @> ARRAY[%L]::varchar(20)[]', :'q')] ELSE '{}' END) || ')' AS cond_proposed \gset

\echo '--- page (as specified):' :cond_specified
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
WHERE :cond_specified ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 \g /dev/null
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji FROM community.posts p LEFT JOIN community.author_cards a ON a.user_id = p.author_id
WHERE :cond_specified ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15;
\echo '--- capped count (as specified)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM community.posts p WHERE :cond_specified LIMIT 10001) c;

\echo '--- page (proposed):' :cond_proposed
SELECT p.*, a.nickname, a.avatar_emoji
FROM (SELECT * FROM community.posts p WHERE :cond_proposed
      ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 0) p
LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC \g /dev/null
EXPLAIN (ANALYZE, BUFFERS)
SELECT p.*, a.nickname, a.avatar_emoji
FROM (SELECT * FROM community.posts p WHERE :cond_proposed
      ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC LIMIT 15 OFFSET 0) p
LEFT JOIN community.author_cards a ON a.user_id = p.author_id
ORDER BY p.is_admin_post DESC, p.created_at DESC, p.id DESC;
\echo '--- total_count (proposed): the estimate; exact below 1000'
EXPLAIN SELECT 1 FROM community.posts p WHERE :cond_proposed;
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM (SELECT 1 FROM community.posts p WHERE :cond_proposed LIMIT 10001) c;

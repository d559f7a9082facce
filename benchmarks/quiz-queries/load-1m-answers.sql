-- Fills the quiz schema with 100 000 players and 1 000 000 answers, then times the queries quiz-service runs per
-- request (EXPLAIN ANALYZE). Run against a migrated quiz schema, e.g. while `./pawfiler up` is running:
--   PGPASSWORD=postgres psql -h localhost -p 15432 -U postgres -d pawfiler -f benchmarks/quiz-queries/load-1m-answers.sql
SET search_path = quiz;
\timing on

INSERT INTO user_profiles (user_id, tier_rank, tier_xp, total_xp, coins, total_answered, correct_count, energy_refilled_at)
SELECT 'bench-' || g, (g % 4), (g * 37) % 4000, (g * 91) % 200000, 500 + (g * 13) % 5000, 10, (g % 11), now()
FROM generate_series(1, 100000) g
ON CONFLICT DO NOTHING;

INSERT INTO user_answers (user_id, attempt_id, question_id, correct, xp_earned, coins_earned, result, answered_at)
SELECT 'bench-' || (1 + g % 100000), 'a-' || g,
       '00000000-0000-4000-8000-' || lpad((1 + g % 24)::text, 12, '0'),
       g % 3 <> 0, 10, 5, '\x00'::bytea, now() - (g || ' seconds')::interval
FROM generate_series(1, 1000000) g
ON CONFLICT DO NOTHING;
ANALYZE user_profiles;
ANALYZE user_answers;

\echo '--- GetRanking(tier) top 10'
EXPLAIN ANALYZE SELECT * FROM user_profiles ORDER BY tier_rank DESC, tier_xp DESC, user_id LIMIT 10;
\echo '--- the caller''s rank (tier)'
EXPLAIN ANALYZE SELECT count(*) FROM user_profiles WHERE tier_rank > 1 OR (tier_rank = 1 AND tier_xp > 1500);
\echo '--- GetRanking(correct) top 10'
EXPLAIN ANALYZE SELECT * FROM user_profiles ORDER BY correct_count DESC, user_id LIMIT 10;
\echo '--- draw: a question not among the player''s last 20 answers'
EXPLAIN ANALYZE SELECT q.id FROM questions q WHERE NOT q.retired AND q.id NOT IN (SELECT a.question_id FROM
  (SELECT question_id FROM user_answers WHERE user_id = 'bench-4242' ORDER BY answered_at DESC LIMIT 20) a)
  ORDER BY random() LIMIT 1;
\echo '--- SubmitAnswer: replay lookup by attempt'
EXPLAIN ANALYZE SELECT result FROM user_answers WHERE user_id = 'bench-4242' AND attempt_id = 'a-4241';
\echo '--- GetQuestionStats (all questions)'
EXPLAIN ANALYZE SELECT q.id, COALESCE(SUM(s.total_attempts), 0), COALESCE(SUM(s.correct_count), 0) FROM questions q
  LEFT JOIN question_stats s ON s.question_id = q.id WHERE NOT q.retired GROUP BY q.id ORDER BY q.id;

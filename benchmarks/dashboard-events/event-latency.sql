-- quiz.answered, server side: quiz-service's outbox row -> dashboard-bff's inbox row of the same event id.
-- Both services write to one PostgreSQL under ./pawfiler up (schemas quiz and dashboard), so one query joins them.
--
--   PGPASSWORD=postgres psql -h localhost -p 15432 -U postgres -d pawfiler \
--     [-v from=2026-12-01T18:00:00Z] [-v to=2026-12-01T18:01:00Z] -f benchmarks/dashboard-events/event-latency.sql
--
-- Window: events recorded (outbox created_at) in [from, to); default the last 10 minutes. DashboardLoad
-- --scenario=event-latency prints the exact command for its measured window.
--
-- What the three figures are, per event (all stamps from the one machine's clock):
--   created_at   quiz-service's Java clock when SubmitAnswer recorded the event, INSIDE its transaction: the rest of
--                that transaction and its commit come after it (so the figures below include them).
--   published_at quiz-service's Java clock after Kafka acknowledged the relay's batch holding the event.
--   processed_at dashboard-bff's now() in the transaction that applies the event: PostgreSQL's transaction start,
--                which is the first statement (the driver sends BEGIN with it), the inbox INSERT itself. The read-model
--                writes and the commit come AFTER it, so they are NOT included.
-- total = created -> processed: quiz's commit, the relay (woken by the commit, linger 5 ms), Kafka produce + ack,
-- the consumer's poll and hand-off, up to the moment the dashboard starts applying. published -> processed can be
-- negative: the consumer may read the record before the relay has marked its batch published.
-- The end-to-end figure as a client sees it (SubmitAnswer's response -> GetDashboard shows the answer) comes from
-- DashboardLoad --scenario=event-latency; it includes what this leaves out.
\set ON_ERROR_STOP on
\if :{?from}
\else
SELECT (now() - interval '10 minutes')::text AS "from" \gset
\endif
\if :{?to}
\else
SELECT now()::text AS "to" \gset
\endif
\echo quiz.answered events recorded in [:from, :to)

\set QUIET on
CREATE TEMP VIEW answered AS
SELECT o.event_id, o.created_at, o.published_at, i.processed_at
FROM quiz.outbox_event o
LEFT JOIN dashboard.inbox_event i ON i.consumer = 'dashboard.read-model' AND i.event_id = o.event_id
WHERE o.event_type = 'quiz.answered'
  AND o.created_at >= :'from'::timestamptz AND o.created_at < :'to'::timestamptz;
\set QUIET off

SELECT count(*)                                      AS quiz_answered_events,
       count(published_at)                           AS published,
       count(processed_at)                           AS applied_by_dashboard,
       count(*) FILTER (WHERE processed_at IS NULL)  AS not_applied_yet
FROM answered;

WITH segments AS (
    SELECT 1 AS ord, 'created -> processed (total)' AS segment,
           extract(epoch FROM processed_at - created_at) * 1000 AS ms FROM answered
    UNION ALL
    SELECT 2, 'created -> published (quiz commit, relay, Kafka ack)',
           extract(epoch FROM published_at - created_at) * 1000 FROM answered
    UNION ALL
    SELECT 3, 'published -> processed (Kafka to the dashboard''s transaction)',
           extract(epoch FROM processed_at - published_at) * 1000 FROM answered
)
SELECT segment,
       count(ms)                                                                 AS events,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY ms)::numeric, 1)       AS p50_ms,
       round(percentile_cont(0.90) WITHIN GROUP (ORDER BY ms)::numeric, 1)       AS p90_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1)       AS p99_ms,
       round(max(ms)::numeric, 1)                                                AS max_ms,
       round(min(ms)::numeric, 1)                                                AS min_ms
FROM segments
GROUP BY ord, segment
ORDER BY ord;

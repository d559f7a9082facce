--liquibase formatted sql

--changeset quiz:003-draw-lookup
-- An answer without attempt_id or draw_id is tied to the player's latest draw of that question.
CREATE INDEX question_draws_by_player ON question_draws (user_id, question_id, drawn_at DESC);

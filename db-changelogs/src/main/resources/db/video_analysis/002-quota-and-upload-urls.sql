--liquibase formatted sql

--changeset video_analysis:002-quota
-- Analyses charged per user and calendar month (period = the month's first day in pawfiler.video.quota.zone).
-- A unit is reserved with a guarded increment before an upload is read, so concurrent uploads cannot overshoot.
CREATE TABLE analysis_quota (
    user_id VARCHAR(64) NOT NULL,
    period  DATE        NOT NULL,
    used    INTEGER     NOT NULL CHECK (used >= 0),
    PRIMARY KEY (user_id, period)
);
-- Which month a task's unit was charged to; deleted (and the counter decremented) when the analysis FAILED.
-- Premium and admin tasks have no row.
CREATE TABLE quota_charges (
    task_id VARCHAR(36) PRIMARY KEY REFERENCES analysis_tasks (id) ON DELETE CASCADE,
    user_id VARCHAR(64) NOT NULL,
    period  DATE        NOT NULL
);

--changeset video_analysis:002-upload-url-claims
-- One upload per signed upload URL: the first upload through it claims the pre-assigned task id (removed again
-- when that upload is rejected, so a corrected file can be sent through the same URL while it is valid).
CREATE TABLE upload_url_claims (
    task_id    VARCHAR(36) PRIMARY KEY,
    user_id    VARCHAR(64) NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL
);

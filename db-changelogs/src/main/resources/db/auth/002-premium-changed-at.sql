--liquibase formatted sql

--changeset auth:002-premium-changed-at
-- When payment-service decided the premium_until held here (payment.completed's completed_at, premium.changed's
-- changed_at). Each event carries payment-service's final word on the paid period, but the two topics are not ordered
-- against each other: an event is applied only when newer than this, so a late payment never re-grants what a refund
-- took away. NULL: no event applied since this column exists (the next one applies).
ALTER TABLE users ADD COLUMN premium_changed_at TIMESTAMPTZ;

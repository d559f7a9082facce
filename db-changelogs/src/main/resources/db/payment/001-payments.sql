--liquibase formatted sql

--changeset payment:001-plans
-- What can be bought. Prices are integers in the currency's minor unit (KRW has none) and always come from here,
-- never from a client. features: what the app lists under the plan, in display order.
CREATE TABLE plans (
    id             VARCHAR(32)  PRIMARY KEY,
    name           VARCHAR(100) NOT NULL,
    amount         BIGINT       NOT NULL CHECK (amount > 0),
    currency       CHAR(3)      NOT NULL,
    billing_period VARCHAR(10)  NOT NULL CHECK (billing_period IN ('MONTHLY', 'YEARLY')),
    duration_days  INTEGER      NOT NULL CHECK (duration_days > 0),
    bonus_coins    INTEGER      NOT NULL DEFAULT 0 CHECK (bonus_coins >= 0),
    features       TEXT[]       NOT NULL DEFAULT '{}',
    sort_order     INTEGER      NOT NULL DEFAULT 0,
    active         BOOLEAN      NOT NULL DEFAULT true
);
INSERT INTO plans (id, name, amount, currency, billing_period, duration_days, bonus_coins, features, sort_order) VALUES
  ('monthly', '월간 프리미엄', 4900, 'KRW', 'MONTHLY', 30, 0,
   ARRAY['영상 분석 무제한', '에너지 무료 충전', '광고 없는 퀴즈', '프리미엄 배지'], 1),
  ('yearly', '연간 프리미엄', 39000, 'KRW', 'YEARLY', 365, 500,
   ARRAY['영상 분석 무제한', '에너지 무료 충전', '광고 없는 퀴즈', '프리미엄 배지', '보너스 500 코인', '월간 대비 34% 할인'], 2);

--changeset payment:001-transactions
-- One attempt to pay for a plan. id doubles as the provider's orderId. status: PENDING (checkout opened),
-- COMPLETED (confirmed, premium granted), FAILED, CANCELED (cancelled before completion), REFUNDED.
-- (user_id, idempotency_key) is unique: a retried or concurrent checkout with the same key is the same transaction.
CREATE TABLE transactions (
    id                   VARCHAR(36)  PRIMARY KEY,
    user_id              VARCHAR(64)  NOT NULL,
    plan_id              VARCHAR(32)  NOT NULL REFERENCES plans (id),
    amount               BIGINT       NOT NULL,
    currency             CHAR(3)      NOT NULL,
    status               VARCHAR(10)  NOT NULL,
    provider             VARCHAR(20)  NOT NULL,
    provider_payment_key VARCHAR(200),
    idempotency_key      VARCHAR(100) NOT NULL,
    failure_reason       TEXT,
    created_at           TIMESTAMPTZ  NOT NULL,
    expires_at           TIMESTAMPTZ  NOT NULL,
    completed_at         TIMESTAMPTZ,
    refunded_at          TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ  NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX transactions_user ON transactions (user_id, created_at DESC, id DESC);
-- The reconciliation job's work list: checkouts still open past their expiry.
CREATE INDEX transactions_pending ON transactions (expires_at) WHERE status = 'PENDING';

--changeset payment:001-subscriptions
-- One per user. ACTIVE (renews), CANCELED (no renewal; premium until expires_at), EXPIRED.
CREATE TABLE subscriptions (
    id          VARCHAR(36) PRIMARY KEY,
    user_id     VARCHAR(64) NOT NULL UNIQUE,
    plan_id     VARCHAR(32) NOT NULL REFERENCES plans (id),
    status      VARCHAR(10) NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    auto_renew  BOOLEAN     NOT NULL,
    canceled_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX subscriptions_running ON subscriptions (expires_at) WHERE status IN ('ACTIVE', 'CANCELED');

--changeset payment:001-webhook-events
-- Provider webhook deliveries already applied (by the provider's event id): a retried or duplicated delivery is
-- acknowledged and changes nothing.
CREATE TABLE webhook_events (
    provider    VARCHAR(20)  NOT NULL,
    event_id    VARCHAR(100) NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (provider, event_id)
);

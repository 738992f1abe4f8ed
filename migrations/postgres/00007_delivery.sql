-- +goose Up
-- Routed summaries: rules say what goes to whom, webhooks are signed
-- receivers, and deliveries are the durable outbox and the delivery log.

-- A webhook's secret signs every request (HMAC-SHA256). It must be kept in
-- plain to sign with; it is shown to the admin once and never returned
-- again (docs/delivery.md explains the trade-off).
CREATE TABLE webhooks (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    url              text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    secret           text NOT NULL,
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, name)
);

-- A rule routes urgent alerts (at once) or digests (daily or weekly) about
-- some sites and need categories (none listed: all) to staff users, e-mail
-- addresses and webhooks.
CREATE TABLE routing_rules (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    event            text NOT NULL CHECK (event IN ('urgent', 'digest')),
    site_ids         jsonb NOT NULL DEFAULT '[]',
    need_codes       jsonb NOT NULL DEFAULT '[]',
    schedule         text CHECK (schedule IN ('daily', 'weekly')),
    weekday          integer CHECK (weekday BETWEEN 0 AND 6),
    time_zone        text NOT NULL DEFAULT 'UTC',
    language         text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    user_ids         jsonb NOT NULL DEFAULT '[]',
    emails           jsonb NOT NULL DEFAULT '[]',
    webhook_ids      jsonb NOT NULL DEFAULT '[]',
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((event = 'digest') = (schedule IS NOT NULL)),
    CHECK (CASE WHEN schedule = 'weekly' THEN weekday IS NOT NULL ELSE weekday IS NULL END),
    UNIQUE (organization_id, name)
);

-- One digest per rule and period, however many processes run the
-- scheduler and however often they restart.
CREATE TABLE digest_runs (
    rule_id       uuid NOT NULL REFERENCES routing_rules(id) ON DELETE CASCADE,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, period_start)
);

-- The outbox and the delivery log. Times here are about deliveries to
-- staff and receivers, not about participants. last_error never holds a
-- secret, a webhook's URL or an SMTP password.
CREATE TABLE deliveries (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    rule_id          uuid REFERENCES routing_rules(id) ON DELETE SET NULL,
    kind             text NOT NULL CHECK (kind IN ('urgent', 'digest', 'test')),
    channel          text NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    target           text NOT NULL,
    language         text NOT NULL DEFAULT 'en',
    subject          text NOT NULL DEFAULT '',
    payload          text NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_org ON deliveries (organization_id, created_at DESC);

-- Alerts are routed by the delivery worker after the submission commits.
-- A flag, not a time: a routing time would say when a participant spoke.
-- Alerts raised before this version are not sent out afterwards.
ALTER TABLE alerts ADD COLUMN routed boolean NOT NULL DEFAULT false;
UPDATE alerts SET routed = true;
CREATE INDEX alerts_unrouted ON alerts (id) WHERE NOT routed;

-- +goose Down
DROP INDEX alerts_unrouted;
ALTER TABLE alerts DROP COLUMN routed;
DROP TABLE deliveries;
DROP TABLE digest_runs;
DROP TABLE routing_rules;
DROP TABLE webhooks;

-- +goose Up
-- Routed summaries: rules say what goes to whom, webhooks are signed
-- receivers, and deliveries are the durable outbox and the delivery log.

-- A webhook's secret signs every request (HMAC-SHA256). It must be kept in
-- plain to sign with; it is shown to the admin once and never returned
-- again (docs/delivery.md explains the trade-off).
CREATE TABLE webhooks (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    url              TEXT NOT NULL CHECK ((url GLOB 'http://*' OR url GLOB 'https://*') AND length(url) <= 2000),
    secret           TEXT NOT NULL,
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (organization_id, name)
);

-- A rule routes urgent alerts (at once) or digests (daily or weekly) about
-- some sites and need categories (none listed: all) to staff users, e-mail
-- addresses and webhooks.
CREATE TABLE routing_rules (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    event            TEXT NOT NULL CHECK (event IN ('urgent', 'digest')),
    site_ids         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(site_ids)),
    need_codes       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(need_codes)),
    schedule         TEXT CHECK (schedule IN ('daily', 'weekly')),
    weekday          INTEGER CHECK (weekday BETWEEN 0 AND 6),
    time_zone        TEXT NOT NULL DEFAULT 'UTC',
    language         TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
    user_ids         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(user_ids)),
    emails           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(emails)),
    webhook_ids      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(webhook_ids)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((event = 'digest') = (schedule IS NOT NULL)),
    CHECK (CASE WHEN schedule = 'weekly' THEN weekday IS NOT NULL ELSE weekday IS NULL END),
    UNIQUE (organization_id, name)
);

-- One digest per rule and period, however many processes run the
-- scheduler and however often they restart.
CREATE TABLE digest_runs (
    rule_id       TEXT NOT NULL REFERENCES routing_rules(id) ON DELETE CASCADE,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (rule_id, period_start)
);

-- The outbox and the delivery log. Times here are about deliveries to
-- staff and receivers, not about participants. last_error never holds a
-- secret, a webhook's URL or an SMTP password.
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    rule_id          TEXT REFERENCES routing_rules(id) ON DELETE SET NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('urgent', 'digest', 'test')),
    channel          TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    target           TEXT NOT NULL,
    language         TEXT NOT NULL DEFAULT 'en',
    subject          TEXT NOT NULL DEFAULT '',
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at          DATETIME
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_org ON deliveries (organization_id, created_at DESC);

-- Alerts are routed by the delivery worker after the submission commits.
-- A flag, not a time: a routing time would say when a participant spoke.
-- Alerts raised before this version are not sent out afterwards.
ALTER TABLE alerts ADD COLUMN routed INTEGER NOT NULL DEFAULT 0 CHECK (routed IN (0, 1));
UPDATE alerts SET routed = 1;
CREATE INDEX alerts_unrouted ON alerts (id) WHERE routed = 0;

-- +goose Down
DROP INDEX alerts_unrouted;
ALTER TABLE alerts DROP COLUMN routed;
DROP TABLE deliveries;
DROP TABLE digest_runs;
DROP TABLE routing_rules;
DROP TABLE webhooks;

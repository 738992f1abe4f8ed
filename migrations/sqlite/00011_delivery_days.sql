-- +goose Up
-- An urgent alert is sent within seconds of the submission, so a delivery
-- row that kept when it was made or sent would say when someone spoke.
-- Deliveries keep only their day (an urgent alert's is the alert's day);
-- next_attempt_at holds a time only while a delivery waits for a lease or
-- a retry, and otherwise the fixed 1970-01-01, which says nothing.
-- SQLite cannot change a column in place, so the table is rebuilt; no
-- table refers to it. Days of existing rows are their UTC day.
CREATE TABLE deliveries_new (
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
    next_attempt_at  DATETIME NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    day              DATE NOT NULL
);
INSERT INTO deliveries_new (id, organization_id, rule_id, kind, channel, target, language, subject, payload, state, attempts,
                            next_attempt_at, last_error, day)
SELECT id, organization_id, rule_id, kind, channel, target, language, subject, payload, state, attempts,
       CASE WHEN state = 'pending' AND attempts > 0 THEN next_attempt_at ELSE '1970-01-01 00:00:00+00:00' END,
       last_error, date(created_at)
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_org ON deliveries (organization_id, day DESC);

-- +goose Down
CREATE TABLE deliveries_old (
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
INSERT INTO deliveries_old (id, organization_id, rule_id, kind, channel, target, language, subject, payload, state, attempts,
                            next_attempt_at, last_error, created_at, sent_at)
SELECT id, organization_id, rule_id, kind, channel, target, language, subject, payload, state, attempts,
       next_attempt_at, last_error, day || ' 00:00:00+00:00', CASE WHEN state = 'sent' THEN day || ' 00:00:00+00:00' END
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_old RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_org ON deliveries (organization_id, created_at DESC);

-- +goose Up
-- Taking part by text message (issue 18; docs/sms.md). The phone number of a
-- person who texts is never stored: not here, not anywhere.

-- An organization's SMS set-up: its own program number (not a person's),
-- the provider account, the site SMS feedback is counted under, and the
-- monthly cap on messages Chorus sends. The auth token is not stored: it is
-- read from CHORUS_TWILIO_AUTH_TOKEN (docs/sms.md says why).
CREATE TABLE sms_settings (
    organization_id  uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    provider         text NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio')),
    phone_number     text NOT NULL UNIQUE CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    account_sid      text NOT NULL CHECK (length(account_sid) BETWEEN 1 AND 64),
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    monthly_cap      integer NOT NULL CHECK (monthly_cap BETWEEN 0 AND 1000000),
    enabled          boolean NOT NULL DEFAULT true
);

-- Messages sent per organization and month ('2026-12'); capped_on is the
-- day the cap was reached, shown to staff.
CREATE TABLE sms_usage (
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    month            text NOT NULL CHECK (length(month) = 7),
    sent             integer NOT NULL DEFAULT 0 CHECK (sent >= 0),
    capped_on        date,
    PRIMARY KEY (organization_id, month)
);

-- Server secrets that key conversations: 'day:2026-12-06' (feedback, one a
-- day) or 'meeting:<session id>' (votes). A key is deleted once its day has
-- passed and no conversation uses it, or its meeting has ended: then no one
-- can tell which number a conversation was.
CREATE TABLE sms_keys (
    name             text PRIMARY KEY CHECK (length(name) BETWEEN 5 AND 80),
    secret           bytea NOT NULL CHECK (length(secret) = 32),
    created_on       date NOT NULL
);

-- Conversations under way, keyed by party_hash = HMAC-SHA256(key, number).
-- A row lives while the conversation does (30 minutes idle for feedback,
-- the meeting for votes); expires_at is when it ends if nothing more comes.
CREATE TABLE sms_conversations (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key_name         text NOT NULL,
    party_hash       bytea NOT NULL CHECK (length(party_hash) = 32),
    kind             text NOT NULL CHECK (kind IN ('feedback', 'meeting')),
    session_id       uuid REFERENCES live_sessions(id) ON DELETE CASCADE,
    language         text NOT NULL CHECK (language IN ('en', 'es')),
    step             text NOT NULL CHECK (step IN ('needs', 'priorities', 'text', 'joined')),
    needs            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(needs) = 'array'),
    priorities       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(priorities) = 'array'),
    expires_at       timestamptz NOT NULL,
    UNIQUE (organization_id, party_hash)
);
CREATE INDEX sms_conversations_expiry ON sms_conversations (expires_at);

-- Webhooks already handled, so a replay (the same message sid) changes
-- nothing, across midnight too. The sid is kept as its SHA-256 and the
-- row holds only the day: Twilio's logs map a sid to a number, but this row
-- adds nothing to what those logs already say. Rows go after two days.
CREATE TABLE sms_seen (
    sid_hash         bytea PRIMARY KEY CHECK (length(sid_hash) = 32),
    seen_on          date NOT NULL
);

-- +goose Down
DROP TABLE sms_seen;
DROP TABLE sms_conversations;
DROP TABLE sms_keys;
DROP TABLE sms_usage;
DROP TABLE sms_settings;

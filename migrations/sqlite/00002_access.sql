-- +goose Up
-- Signed-in staff sessions. The cookie holds a random secret; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.
CREATE TABLE staff_sessions (
    token_hash       BLOB PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    csrf_token       TEXT NOT NULL,
    created_at       DATETIME NOT NULL,
    last_seen_at     DATETIME NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- API tokens for scripts and integrations; stored hashed, shown once.
CREATE TABLE api_tokens (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL DEFAULT '',
    token_hash       BLOB NOT NULL UNIQUE,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_used_on     DATE,
    revoked_at       DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One-time kiosk enrollment codes, valid for 15 minutes.
CREATE TABLE kiosk_enrollments (
    code_hash   BLOB PRIMARY KEY,
    kiosk_id    TEXT NOT NULL REFERENCES kiosks(id) ON DELETE CASCADE,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME,
    created_by  TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX kiosk_enrollments_kiosk ON kiosk_enrollments (kiosk_id);

-- What staff did: who, what, when. Never participant content, never a
-- client address.
CREATE TABLE audit_events (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    actor_id         TEXT REFERENCES users(id) ON DELETE SET NULL,
    actor_email      TEXT NOT NULL DEFAULT '',
    action           TEXT NOT NULL,
    target_type      TEXT NOT NULL DEFAULT '',
    target_id        TEXT NOT NULL DEFAULT '',
    detail           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_events_org_time ON audit_events (organization_id, created_at DESC);

ALTER TABLE users ADD COLUMN password_changed_at DATETIME;

-- +goose Down
ALTER TABLE users DROP COLUMN password_changed_at;
DROP TABLE audit_events;
DROP TABLE kiosk_enrollments;
DROP TABLE api_tokens;
DROP TABLE staff_sessions;

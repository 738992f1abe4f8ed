-- +goose Up
-- Signed-in staff sessions. The cookie holds a random secret; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.
CREATE TABLE staff_sessions (
    token_hash       bytea PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    csrf_token       text NOT NULL,
    created_at       timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- API tokens for scripts and integrations; stored hashed, shown once.
CREATE TABLE api_tokens (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             text NOT NULL DEFAULT '',
    token_hash       bytea NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_used_on     date,
    revoked_at       timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One-time kiosk enrollment codes, valid for 15 minutes.
CREATE TABLE kiosk_enrollments (
    code_hash   bytea PRIMARY KEY,
    kiosk_id    uuid NOT NULL REFERENCES kiosks(id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_by  uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX kiosk_enrollments_kiosk ON kiosk_enrollments (kiosk_id);

-- What staff did: who, what, when. Never participant content, never a
-- client address.
CREATE TABLE audit_events (
    id               uuid PRIMARY KEY,
    organization_id  uuid REFERENCES organizations(id) ON DELETE CASCADE,
    actor_id         uuid REFERENCES users(id) ON DELETE SET NULL,
    actor_email      text NOT NULL DEFAULT '',
    action           text NOT NULL,
    target_type      text NOT NULL DEFAULT '',
    target_id        text NOT NULL DEFAULT '',
    detail           jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_org_time ON audit_events (organization_id, created_at DESC);

ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN password_changed_at;
DROP TABLE audit_events;
DROP TABLE kiosk_enrollments;
DROP TABLE api_tokens;
DROP TABLE staff_sessions;

-- +goose Up
-- Van mode (docs/van-mode.md). Upstream: edge devices are laptops that run
-- Chorus in a mobile site's van and sync what they recorded. Like a kiosk,
-- a device enrolls with a one-time code and keeps only a hashed token here.
CREATE TABLE edge_devices (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash       bytea UNIQUE,
    enrolled_at      timestamptz,
    revoked_at       timestamptz,
    last_sync_on     date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX edge_devices_org ON edge_devices (organization_id);

CREATE TABLE edge_enrollments (
    code_hash   bytea PRIMARY KEY,
    device_id   uuid NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_by  uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX edge_enrollments_device ON edge_enrollments (device_id);

-- A batch an edge sent, by the id the edge made for it, with the answer it
-- got: the same batch again gets the same answer and stores nothing.
CREATE TABLE edge_batches (
    device_id     uuid NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    batch_id      text NOT NULL CHECK (length(batch_id) BETWEEN 1 AND 64),
    request_hash  bytea NOT NULL,
    response      jsonb NOT NULL,
    received_on   date NOT NULL,
    PRIMARY KEY (device_id, batch_id)
);

-- Every item an edge sent, by the id the edge made for it: what it became
-- here (a submission or a live session) and which device it came from.
CREATE TABLE edge_items (
    device_id     uuid NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    item_id       text NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
    kind          text NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        uuid NOT NULL,
    request_hash  bytea NOT NULL,
    PRIMARY KEY (device_id, item_id)
);
CREATE INDEX edge_items_ref ON edge_items (ref_id);

-- A session held in a van keeps how many people took part (their tokens
-- stay on the van until the summary arrives, then are deleted there).
ALTER TABLE live_sessions ADD COLUMN edge_device_id uuid REFERENCES edge_devices(id) ON DELETE SET NULL;
ALTER TABLE live_sessions ADD COLUMN participants integer CHECK (participants IS NULL OR participants >= 0);

-- On the edge (SQLite in practice; the tables exist here so that both
-- dialects have one schema): where it syncs to, its device token, the
-- state it pulled, and its outbox of what waits to be sent.
CREATE TABLE edge_link (
    id              integer PRIMARY KEY CHECK (id = 1),
    upstream        text NOT NULL,
    device_id       uuid NOT NULL,
    token           text NOT NULL,
    organization_id uuid NOT NULL,
    site_id         uuid NOT NULL,
    state           jsonb NOT NULL DEFAULT '{}',
    pulled_at       timestamptz,
    synced_at       timestamptz,
    online          boolean NOT NULL DEFAULT false,
    revoked         boolean NOT NULL DEFAULT false,
    last_error      text NOT NULL DEFAULT ''
);

CREATE TABLE edge_outbox (
    item_id       text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        uuid NOT NULL UNIQUE,
    payload       jsonb NOT NULL,
    batch_id      text,
    confirmed_at  timestamptz
);
CREATE INDEX edge_outbox_waiting ON edge_outbox (confirmed_at, batch_id);

-- +goose Down
DROP TABLE edge_outbox;
DROP TABLE edge_link;
ALTER TABLE live_sessions DROP COLUMN participants;
ALTER TABLE live_sessions DROP COLUMN edge_device_id;
DROP TABLE edge_items;
DROP TABLE edge_batches;
DROP TABLE edge_enrollments;
DROP TABLE edge_devices;

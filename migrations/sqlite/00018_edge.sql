-- +goose Up
-- Van mode (docs/van-mode.md). Upstream: edge devices are laptops that run
-- Chorus in a mobile site's van and sync what they recorded. Like a kiosk,
-- a device enrolls with a one-time code and keeps only a hashed token here.
CREATE TABLE edge_devices (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash       BLOB UNIQUE,
    enrolled_at      DATETIME,
    revoked_at       DATETIME,
    last_sync_on     DATE,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX edge_devices_org ON edge_devices (organization_id);

CREATE TABLE edge_enrollments (
    code_hash   BLOB PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME,
    created_by  TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX edge_enrollments_device ON edge_enrollments (device_id);

-- A batch an edge sent, by the id the edge made for it, with the answer it
-- got: the same batch again gets the same answer and stores nothing.
CREATE TABLE edge_batches (
    device_id     TEXT NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    batch_id      TEXT NOT NULL CHECK (length(batch_id) BETWEEN 1 AND 64),
    request_hash  BLOB NOT NULL,
    response      TEXT NOT NULL CHECK (json_valid(response)),
    received_on   DATE NOT NULL,
    PRIMARY KEY (device_id, batch_id)
);

-- Every item an edge sent, by the id the edge made for it: what it became
-- here (a submission or a live session) and which device it came from.
CREATE TABLE edge_items (
    device_id     TEXT NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    PRIMARY KEY (device_id, item_id)
);
CREATE INDEX edge_items_ref ON edge_items (ref_id);

-- A session held in a van keeps how many people took part (their tokens
-- stay on the van until the summary arrives, then are deleted there).
ALTER TABLE live_sessions ADD COLUMN edge_device_id TEXT REFERENCES edge_devices(id) ON DELETE SET NULL;
ALTER TABLE live_sessions ADD COLUMN participants INTEGER CHECK (participants IS NULL OR participants >= 0);

-- On the edge: where it syncs to, its device token, the state it pulled,
-- and its outbox of what waits to be sent. One row of edge_link at most.
CREATE TABLE edge_link (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    upstream       TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    token          TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    site_id        TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(state)),
    pulled_at      DATETIME,
    synced_at      DATETIME,
    online         BOOLEAN NOT NULL DEFAULT 0,
    revoked        BOOLEAN NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE edge_outbox (
    item_id       TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        TEXT NOT NULL UNIQUE,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    batch_id      TEXT,
    confirmed_at  DATETIME
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

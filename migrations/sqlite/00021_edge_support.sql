-- +goose Up
-- A van kiosk's answers to "Do you support this?" sync like its
-- submissions: a third kind of edge item (here) and of outbox item (on the
-- van). SQLite cannot change a CHECK in place: the tables are rebuilt
-- (nothing references them).
CREATE TABLE edge_items_new (
    device_id     TEXT NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session', 'support')),
    ref_id        TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    PRIMARY KEY (device_id, item_id)
);
INSERT INTO edge_items_new SELECT device_id, item_id, kind, ref_id, request_hash FROM edge_items;
DROP TABLE edge_items;
ALTER TABLE edge_items_new RENAME TO edge_items;
CREATE INDEX edge_items_ref ON edge_items (ref_id);

CREATE TABLE edge_outbox_new (
    item_id       TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session', 'support')),
    ref_id        TEXT NOT NULL UNIQUE,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    batch_id      TEXT,
    confirmed_at  DATETIME
);
INSERT INTO edge_outbox_new SELECT item_id, kind, ref_id, payload, batch_id, confirmed_at FROM edge_outbox;
DROP TABLE edge_outbox;
ALTER TABLE edge_outbox_new RENAME TO edge_outbox;
CREATE INDEX edge_outbox_waiting ON edge_outbox (confirmed_at, batch_id);

-- +goose Down
CREATE TABLE edge_items_old (
    device_id     TEXT NOT NULL REFERENCES edge_devices(id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    PRIMARY KEY (device_id, item_id)
);
INSERT INTO edge_items_old SELECT device_id, item_id, kind, ref_id, request_hash FROM edge_items WHERE kind <> 'support';
DROP TABLE edge_items;
ALTER TABLE edge_items_old RENAME TO edge_items;
CREATE INDEX edge_items_ref ON edge_items (ref_id);

CREATE TABLE edge_outbox_old (
    item_id       TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('submission', 'session')),
    ref_id        TEXT NOT NULL UNIQUE,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    batch_id      TEXT,
    confirmed_at  DATETIME
);
INSERT INTO edge_outbox_old SELECT item_id, kind, ref_id, payload, batch_id, confirmed_at FROM edge_outbox WHERE kind <> 'support';
DROP TABLE edge_outbox;
ALTER TABLE edge_outbox_old RENAME TO edge_outbox;
CREATE INDEX edge_outbox_waiting ON edge_outbox (confirmed_at, batch_id);

-- +goose Up
-- How many people the facilitator says are in the room; the console and
-- the projector flag a round with more voters than that. NULL: not given.
ALTER TABLE live_sessions ADD COLUMN room_size integer CHECK (room_size BETWEEN 1 AND 10000);

-- Shared tablets: the facilitator's console issues a secret per tablet, and
-- only a connection presenting one may become a new participant for the
-- next person ("reset"). Only the secret's SHA-256 is kept; the rows go
-- with their session, and a key works only while its session is open.
CREATE TABLE live_shared_devices (
    id          uuid PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    key_hash    bytea NOT NULL UNIQUE
);
CREATE INDEX live_shared_devices_session ON live_shared_devices (session_id);

-- +goose Down
DROP TABLE live_shared_devices;
ALTER TABLE live_sessions DROP COLUMN room_size;

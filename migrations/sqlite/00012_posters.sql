-- +goose Up
-- Own-phone feedback. A site's poster carries a short code in its link
-- (/p/CODE): anyone who scans it may give feedback for that site, so the code
-- is not a secret, and it is kept as it is (staff print the poster again).
-- Staff rotate it: the old row stays, retired, so an old poster answers
-- "no longer in use" rather than "unknown". One current code per site.
CREATE TABLE site_posters (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    code             TEXT NOT NULL UNIQUE CHECK (code NOT GLOB '*[^0-9A-Z]*' AND length(code) BETWEEN 8 AND 32),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    retired_at       DATETIME
);
CREATE UNIQUE INDEX site_posters_current ON site_posters (site_id) WHERE retired_at IS NULL;

-- How a submission came in: an enrolled kiosk, or a person's own phone from
-- a poster (kiosk_id NULL). 'sms' is reserved for text messages, the next
-- channel, so that adding it needs no table rebuild here.
ALTER TABLE submissions ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk' CHECK (channel IN ('kiosk', 'phone', 'sms'));
-- Kiosk keys are unique per kiosk (UNIQUE (kiosk_id, idempotency_key));
-- the other channels have no device, so theirs are unique per site.
CREATE UNIQUE INDEX submissions_channel_key ON submissions (site_id, channel, idempotency_key) WHERE channel <> 'kiosk';

-- Rollups count submissions by channel too (metric 'channel', code the
-- channel). SQLite cannot change a CHECK in place: the table is rebuilt.
CREATE TABLE rollups_new (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL,
    metric           TEXT NOT NULL CHECK (metric IN ('submissions', 'need', 'strength', 'priority', 'priority_points', 'about', 'channel')),
    code             TEXT NOT NULL,
    value            INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (organization_id, metric, day, site_id, code)
);
INSERT INTO rollups_new SELECT organization_id, site_id, day, metric, code, value FROM rollups;
-- Every submission before this version came from a kiosk.
INSERT INTO rollups_new SELECT organization_id, site_id, day, 'channel', 'kiosk', value FROM rollups WHERE metric = 'submissions';
DROP TABLE rollups;
ALTER TABLE rollups_new RENAME TO rollups;

-- +goose Down
CREATE TABLE rollups_old (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL,
    metric           TEXT NOT NULL CHECK (metric IN ('submissions', 'need', 'strength', 'priority', 'priority_points', 'about')),
    code             TEXT NOT NULL,
    value            INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (organization_id, metric, day, site_id, code)
);
INSERT INTO rollups_old SELECT organization_id, site_id, day, metric, code, value FROM rollups WHERE metric <> 'channel';
DROP TABLE rollups;
ALTER TABLE rollups_old RENAME TO rollups;
DROP INDEX submissions_channel_key;
DELETE FROM submissions WHERE channel <> 'kiosk';
ALTER TABLE submissions DROP COLUMN channel;
DROP TABLE site_posters;

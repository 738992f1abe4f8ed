-- +goose Up
-- Own-phone feedback. A site's poster carries a short code in its link
-- (/p/CODE): anyone who scans it may give feedback for that site, so the code
-- is not a secret, and it is kept as it is (staff print the poster again).
-- Staff rotate it: the old row stays, retired, so an old poster answers
-- "no longer in use" rather than "unknown". One current code per site.
CREATE TABLE site_posters (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    code             text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{8,32}$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    retired_at       timestamptz
);
CREATE UNIQUE INDEX site_posters_current ON site_posters (site_id) WHERE retired_at IS NULL;

-- How a submission came in: an enrolled kiosk, or a person's own phone from
-- a poster (kiosk_id NULL). 'sms' is reserved for text messages, the next
-- channel.
ALTER TABLE submissions ADD COLUMN channel text NOT NULL DEFAULT 'kiosk' CHECK (channel IN ('kiosk', 'phone', 'sms'));
-- Kiosk keys are unique per kiosk (UNIQUE (kiosk_id, idempotency_key));
-- the other channels have no device, so theirs are unique per site.
CREATE UNIQUE INDEX submissions_channel_key ON submissions (site_id, channel, idempotency_key) WHERE channel <> 'kiosk';

-- Rollups count submissions by channel too (metric 'channel', code the
-- channel).
ALTER TABLE rollups DROP CONSTRAINT rollups_metric_check;
ALTER TABLE rollups ADD CONSTRAINT rollups_metric_check
    CHECK (metric IN ('submissions', 'need', 'strength', 'priority', 'priority_points', 'about', 'channel'));
-- Every submission before this version came from a kiosk.
INSERT INTO rollups (organization_id, site_id, day, metric, code, value)
    SELECT organization_id, site_id, day, 'channel', 'kiosk', value FROM rollups WHERE metric = 'submissions';

-- +goose Down
DELETE FROM rollups WHERE metric = 'channel';
ALTER TABLE rollups DROP CONSTRAINT rollups_metric_check;
ALTER TABLE rollups ADD CONSTRAINT rollups_metric_check
    CHECK (metric IN ('submissions', 'need', 'strength', 'priority', 'priority_points', 'about'));
DROP INDEX submissions_channel_key;
DELETE FROM submissions WHERE channel <> 'kiosk';
ALTER TABLE submissions DROP COLUMN channel;
DROP TABLE site_posters;

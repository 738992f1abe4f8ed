-- +goose Up
-- An urgent alert is sent within seconds of the submission, so a delivery
-- row that kept when it was made or sent would say when someone spoke.
-- Deliveries keep only their day (an urgent alert's is the alert's day);
-- next_attempt_at holds a time only while a delivery waits for a lease or
-- a retry, and otherwise the fixed 1970-01-01, which says nothing. Days
-- of existing rows are their UTC day.
ALTER TABLE deliveries ADD COLUMN day date;
UPDATE deliveries SET day = (created_at AT TIME ZONE 'UTC')::date;
ALTER TABLE deliveries ALTER COLUMN day SET NOT NULL;
UPDATE deliveries SET next_attempt_at = '1970-01-01 00:00:00+00' WHERE NOT (state = 'pending' AND attempts > 0);
ALTER TABLE deliveries ALTER COLUMN next_attempt_at DROP DEFAULT;
DROP INDEX deliveries_org;
ALTER TABLE deliveries DROP COLUMN created_at;
ALTER TABLE deliveries DROP COLUMN sent_at;
CREATE INDEX deliveries_org ON deliveries (organization_id, day DESC);

-- +goose Down
DROP INDEX deliveries_org;
ALTER TABLE deliveries ADD COLUMN created_at timestamptz;
ALTER TABLE deliveries ADD COLUMN sent_at timestamptz;
UPDATE deliveries SET created_at = day::timestamp AT TIME ZONE 'UTC',
                      sent_at = CASE WHEN state = 'sent' THEN day::timestamp AT TIME ZONE 'UTC' END;
ALTER TABLE deliveries ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE deliveries ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE deliveries ALTER COLUMN next_attempt_at SET DEFAULT now();
ALTER TABLE deliveries DROP COLUMN day;
CREATE INDEX deliveries_org ON deliveries (organization_id, created_at DESC);

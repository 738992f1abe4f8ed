-- +goose Up
-- Daily counts per site kept apart from the submissions they come from, so
-- reports over years answer fast and survive the deletion of old
-- submissions (retention). metric is what is counted:
--   submissions      submissions made (code '')
--   need, strength   submissions that chose the code
--   priority         submissions that put the need in their top three
--   priority_points  3 for a first place, 2 for a second, 1 for a third
--   about            answers to an "about you" question (code 'question:band')
CREATE TABLE rollups (
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              date NOT NULL,
    metric           text NOT NULL CHECK (metric IN ('submissions', 'need', 'strength', 'priority', 'priority_points', 'about')),
    code             text NOT NULL,
    value            integer NOT NULL CHECK (value >= 0),
    PRIMARY KEY (organization_id, metric, day, site_id, code)
);

-- Days before 'through' are rolled up for good: no submission can arrive
-- for them any more, and retention may delete their submissions.
CREATE TABLE rollup_marks (
    organization_id  uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    through          date NOT NULL
);

-- Retention: how many days individual submissions and their free text are
-- kept (none: kept until deleted by hand). Aggregates stay.
ALTER TABLE organizations ADD COLUMN retention_days integer CHECK (retention_days IS NULL OR retention_days BETWEEN 30 AND 3650);

-- +goose Down
ALTER TABLE organizations DROP COLUMN retention_days;
DROP TABLE rollup_marks;
DROP TABLE rollups;

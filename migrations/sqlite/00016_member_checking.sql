-- +goose Up
-- Member checking (issue 15): a finding is put back to the community, as a
-- live-session round ("Did we get this right?") or as a kiosk question for
-- a period, and the answers are kept against the finding by site and day,
-- nothing finer.

-- A live round that asks the room about a finding.
ALTER TABLE live_rounds ADD COLUMN finding_id TEXT REFERENCES research_findings(id) ON DELETE SET NULL;

-- A finding put to the kiosks of one site (site_id) or of every site (NULL)
-- from start_day to end_day, both included, in each site's own days.
CREATE TABLE research_finding_asks (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    finding_id       TEXT NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    site_id          TEXT REFERENCES sites(id) ON DELETE CASCADE,
    start_day        DATE NOT NULL CHECK (start_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    end_day          DATE NOT NULL CHECK (end_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_on       DATE NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK (end_day >= start_day)
);
CREATE INDEX research_finding_asks_org ON research_finding_asks (organization_id, end_day);
CREATE INDEX research_finding_asks_finding ON research_finding_asks (finding_id);

-- How the community answered a finding at a site on a day. A live round's
-- counts (votes and hand counts) are one row, recorded once: round_id is
-- unique. Kiosk answers add up in one row per finding, site and day.
CREATE TABLE research_finding_checks (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    finding_id       TEXT NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    source           TEXT NOT NULL CHECK (source IN ('live', 'kiosk')),
    round_id         TEXT UNIQUE REFERENCES live_rounds(id) ON DELETE SET NULL,
    agree            INTEGER NOT NULL DEFAULT 0 CHECK (agree >= 0),
    disagree         INTEGER NOT NULL DEFAULT 0 CHECK (disagree >= 0),
    unsure           INTEGER NOT NULL DEFAULT 0 CHECK (unsure >= 0),
    CHECK (source = 'live' OR round_id IS NULL)
);
CREATE UNIQUE INDEX research_finding_checks_kiosk ON research_finding_checks (finding_id, site_id, day) WHERE source = 'kiosk';
CREATE INDEX research_finding_checks_finding ON research_finding_checks (finding_id, site_id);

-- +goose Down
DROP TABLE research_finding_checks;
DROP TABLE research_finding_asks;
ALTER TABLE live_rounds DROP COLUMN finding_id;

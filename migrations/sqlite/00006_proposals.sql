-- +goose Up
-- Proposals and accountability: the public board can be switched off, and
-- each program promises to answer a proposal within a number of days.
ALTER TABLE organizations ADD COLUMN public_board INTEGER NOT NULL DEFAULT 1 CHECK (public_board IN (0, 1));
ALTER TABLE organizations ADD COLUMN response_days INTEGER NOT NULL DEFAULT 30 CHECK (response_days BETWEEN 1 AND 365);

-- The days a proposal was made, first answered and decided: staff records,
-- kept as days so the figures read the same everywhere. SQLite cannot add a
-- NOT NULL column without a default; the store always sets it.
ALTER TABLE proposals ADD COLUMN created_on DATE;
UPDATE proposals SET created_on = date(created_at);
ALTER TABLE proposals ADD COLUMN responded_on DATE;
ALTER TABLE proposals ADD COLUMN decided_on DATE;
ALTER TABLE proposals ADD COLUMN put_to_policymakers INTEGER NOT NULL DEFAULT 0 CHECK (put_to_policymakers IN (0, 1));

ALTER TABLE proposal_updates ADD COLUMN by_role TEXT NOT NULL DEFAULT 'staff' CHECK (by_role IN ('staff', 'policymaker'));

-- What a proposal from participants rests on: a need people chose at the
-- kiosk, an approved comment, or a round of a live session.
CREATE TABLE proposal_evidence (
    id           TEXT PRIMARY KEY,
    proposal_id  TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('need', 'feedback_text', 'live_round')),
    code         TEXT,
    site_id      TEXT REFERENCES sites(id) ON DELETE SET NULL,
    ref_id       TEXT,
    CHECK ((kind = 'need') = (code IS NOT NULL)),
    CHECK ((kind = 'need') = (ref_id IS NULL))
);
CREATE INDEX proposal_evidence_proposal ON proposal_evidence (proposal_id);

-- "Do you support this?" answered at a kiosk: one row per idempotency key,
-- with the day only, like a submission.
CREATE TABLE proposal_support (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    proposal_id      TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    kiosk_id         TEXT REFERENCES kiosks(id) ON DELETE SET NULL,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    answer           TEXT NOT NULL CHECK (answer IN ('agree', 'disagree', 'unsure')),
    idempotency_key  BLOB NOT NULL,
    request_hash     BLOB NOT NULL,
    UNIQUE (kiosk_id, idempotency_key)
);
CREATE INDEX proposal_support_proposal ON proposal_support (proposal_id, site_id);

-- +goose Down
DROP TABLE proposal_support;
DROP TABLE proposal_evidence;
ALTER TABLE proposal_updates DROP COLUMN by_role;
ALTER TABLE proposals DROP COLUMN put_to_policymakers;
ALTER TABLE proposals DROP COLUMN decided_on;
ALTER TABLE proposals DROP COLUMN responded_on;
ALTER TABLE proposals DROP COLUMN created_on;
ALTER TABLE organizations DROP COLUMN response_days;
ALTER TABLE organizations DROP COLUMN public_board;

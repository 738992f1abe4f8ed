-- +goose Up
-- Proposals and accountability: the public board can be switched off, and
-- each program promises to answer a proposal within a number of days.
ALTER TABLE organizations ADD COLUMN public_board boolean NOT NULL DEFAULT true;
ALTER TABLE organizations ADD COLUMN response_days integer NOT NULL DEFAULT 30 CHECK (response_days BETWEEN 1 AND 365);

-- The days a proposal was made, first answered and decided: staff records,
-- kept as days so the figures read the same everywhere.
ALTER TABLE proposals ADD COLUMN created_on date;
UPDATE proposals SET created_on = (created_at AT TIME ZONE 'UTC')::date;
ALTER TABLE proposals ALTER COLUMN created_on SET NOT NULL;
ALTER TABLE proposals ADD COLUMN responded_on date;
ALTER TABLE proposals ADD COLUMN decided_on date;
ALTER TABLE proposals ADD COLUMN put_to_policymakers boolean NOT NULL DEFAULT false;

ALTER TABLE proposal_updates ADD COLUMN by_role text NOT NULL DEFAULT 'staff' CHECK (by_role IN ('staff', 'policymaker'));

-- What a proposal from participants rests on: a need people chose at the
-- kiosk, an approved comment, or a round of a live session.
CREATE TABLE proposal_evidence (
    id           uuid PRIMARY KEY,
    proposal_id  uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('need', 'feedback_text', 'live_round')),
    code         text,
    site_id      uuid REFERENCES sites(id) ON DELETE SET NULL,
    ref_id       uuid,
    CHECK ((kind = 'need') = (code IS NOT NULL)),
    CHECK ((kind = 'need') = (ref_id IS NULL))
);
CREATE INDEX proposal_evidence_proposal ON proposal_evidence (proposal_id);

-- "Do you support this?" answered at a kiosk: one row per idempotency key,
-- with the day only, like a submission.
CREATE TABLE proposal_support (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    proposal_id      uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    kiosk_id         uuid REFERENCES kiosks(id) ON DELETE SET NULL,
    day              date NOT NULL,
    answer           text NOT NULL CHECK (answer IN ('agree', 'disagree', 'unsure')),
    idempotency_key  bytea NOT NULL,
    request_hash     bytea NOT NULL,
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

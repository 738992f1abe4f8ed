-- +goose Up
-- Findings (issue 15): a short plain-language statement in English and
-- Spanish, linked to codes and to exemplar excerpts. Only a quotable
-- excerpt may be an exemplar (approved or redacted kiosk text whose
-- participant allowed quoting); the store checks that, and reading a
-- finding shows an exemplar only while it stays quotable. A finding keeps
-- the day it was written, nothing finer.
CREATE TABLE research_findings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    statement_en     TEXT NOT NULL CHECK (length(statement_en) BETWEEN 1 AND 2000),
    statement_es     TEXT NOT NULL CHECK (length(statement_es) BETWEEN 1 AND 2000),
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_on       DATE NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- Flagged for another look (the community disagreed, or staff asked).
    flagged          INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1))
);
CREATE INDEX research_findings_list ON research_findings (organization_id, created_on);

CREATE TABLE research_finding_codes (
    finding_id       TEXT NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    code_id          TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, code_id)
);

CREATE TABLE research_finding_excerpts (
    finding_id       TEXT NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    excerpt_id       TEXT NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, excerpt_id)
);

-- +goose Down
DROP TABLE research_finding_excerpts;
DROP TABLE research_finding_codes;
DROP TABLE research_findings;

-- +goose Up
-- Findings (issue 15): a short plain-language statement in English and
-- Spanish, linked to codes and to exemplar excerpts. Only a quotable
-- excerpt may be an exemplar (approved or redacted kiosk text whose
-- participant allowed quoting); the store checks that, and reading a
-- finding shows an exemplar only while it stays quotable. A finding keeps
-- the day it was written, nothing finer.
CREATE TABLE research_findings (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    statement_en     text NOT NULL CHECK (length(statement_en) BETWEEN 1 AND 2000),
    statement_es     text NOT NULL CHECK (length(statement_es) BETWEEN 1 AND 2000),
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_on       date NOT NULL,
    -- Flagged for another look (the community disagreed, or staff asked).
    flagged          boolean NOT NULL DEFAULT false
);
CREATE INDEX research_findings_list ON research_findings (organization_id, created_on);

CREATE TABLE research_finding_codes (
    finding_id       uuid NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    code_id          uuid NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, code_id)
);

CREATE TABLE research_finding_excerpts (
    finding_id       uuid NOT NULL REFERENCES research_findings(id) ON DELETE CASCADE,
    excerpt_id       uuid NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, excerpt_id)
);

-- +goose Down
DROP TABLE research_finding_excerpts;
DROP TABLE research_finding_codes;
DROP TABLE research_findings;

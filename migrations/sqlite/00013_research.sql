-- +goose Up
-- The research loop (issue 15): codebooks of versioned codes, excerpts of
-- text to code, codings, memos, blind double coding and reconciliation.
-- Every excerpt keeps its site and day, nothing finer.

-- Who may code: a permission an admin gives a member (admin or staff),
-- apart from their role.
CREATE TABLE research_coders (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    granted_on       DATE NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);

CREATE TABLE codebooks (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (json_valid(name)),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX codebooks_organization ON codebooks (organization_id);

-- A code is its identity; what it says lives in its versions. Editing a
-- code adds a version; a coding points at the version the coder saw.
CREATE TABLE codes (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    codebook_id      TEXT NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL DEFAULT 0,
    current_version  INTEGER NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    removed_at       DATETIME
);
CREATE INDEX codes_codebook ON codes (codebook_id);

CREATE TABLE code_versions (
    id               TEXT PRIMARY KEY,
    code_id          TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL CHECK (version >= 1),
    parent_id        TEXT REFERENCES codes(id) ON DELETE SET NULL,
    name             TEXT NOT NULL CHECK (json_valid(name)),
    definition       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(definition)),
    inclusion        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(inclusion)),
    exclusion        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(exclusion)),
    example          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(example)),
    colour           TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (code_id, version)
);

-- Text to code. Kiosk text is referenced, never copied: the excerpt reads
-- the moderated body (approved or redacted) through feedback_text_id, so a
-- later rejection hides it here too. An uploaded transcript keeps only its
-- scrubbed body; the original is never stored.
CREATE TABLE research_excerpts (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind             TEXT NOT NULL CHECK (kind IN ('kiosk', 'transcript')),
    feedback_text_id TEXT UNIQUE REFERENCES feedback_texts(id) ON DELETE CASCADE,
    title            TEXT NOT NULL DEFAULT '',
    body             TEXT CHECK (length(body) <= 200000),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((kind = 'kiosk') = (feedback_text_id IS NOT NULL)),
    CHECK ((kind = 'kiosk') = (body IS NULL))
);
CREATE INDEX research_excerpts_list ON research_excerpts (organization_id, day);

-- A coding applies one version of a code to a whole excerpt (no span) or
-- to characters [span_start, span_end) of it, counted in Unicode code
-- points.
CREATE TABLE codings (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       TEXT NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    code_version_id  TEXT NOT NULL REFERENCES code_versions(id) ON DELETE CASCADE,
    coder_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    span_start       INTEGER,
    span_end         INTEGER,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((span_start IS NULL) = (span_end IS NULL)),
    CHECK (span_start IS NULL OR (span_start >= 0 AND span_end > span_start))
);
CREATE INDEX codings_excerpt ON codings (excerpt_id, coder_id);
CREATE INDEX codings_code ON codings (organization_id, code_id);

CREATE TABLE research_memos (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       TEXT REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          TEXT REFERENCES codes(id) ON DELETE CASCADE,
    author_id        TEXT REFERENCES users(id) ON DELETE SET NULL,
    body             TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((excerpt_id IS NULL) <> (code_id IS NULL))
);
CREATE INDEX research_memos_excerpt ON research_memos (excerpt_id);
CREATE INDEX research_memos_code ON research_memos (code_id);

-- An overlap sample for blind double coding, reproducible from its seed.
CREATE TABLE research_samples (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    share_percent    INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
    seed             INTEGER NOT NULL,
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Which excerpts a coder is to code. An excerpt in a sample is blind: its
-- coder sees no one else's codes until every coder assigned to it has
-- submitted.
CREATE TABLE research_assignments (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       TEXT NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    coder_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sample_id        TEXT REFERENCES research_samples(id) ON DELETE CASCADE,
    submitted_at     DATETIME,
    PRIMARY KEY (excerpt_id, coder_id)
);
CREATE INDEX research_assignments_coder ON research_assignments (organization_id, coder_id);
CREATE INDEX research_assignments_sample ON research_assignments (sample_id);

-- The agreed coding of a double-coded excerpt for one code: present or
-- not, who agreed it and the day. The coders' own codings stay as they
-- were, for the record.
CREATE TABLE research_reconciliations (
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       TEXT NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    present          INTEGER NOT NULL CHECK (present IN (0, 1)),
    agreed_by        TEXT REFERENCES users(id) ON DELETE SET NULL,
    agreed_on        DATE NOT NULL,
    PRIMARY KEY (excerpt_id, code_id)
);

-- +goose Down
DROP TABLE research_reconciliations;
DROP TABLE research_assignments;
DROP TABLE research_samples;
DROP TABLE research_memos;
DROP TABLE codings;
DROP TABLE research_excerpts;
DROP TABLE code_versions;
DROP TABLE codes;
DROP TABLE codebooks;
DROP TABLE research_coders;

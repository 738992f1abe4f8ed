-- +goose Up
-- The research loop (issue 15): codebooks of versioned codes, excerpts of
-- text to code, codings, memos, blind double coding and reconciliation.
-- Every excerpt keeps its site and day, nothing finer.

-- Who may code: a permission an admin gives a member (admin or staff),
-- apart from their role.
CREATE TABLE research_coders (
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    granted_on       date NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);

CREATE TABLE codebooks (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             jsonb NOT NULL CHECK (jsonb_typeof(name) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX codebooks_organization ON codebooks (organization_id);

-- A code is its identity; what it says lives in its versions. Editing a
-- code adds a version; a coding points at the version the coder saw.
CREATE TABLE codes (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    codebook_id      uuid NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
    position         integer NOT NULL DEFAULT 0,
    current_version  integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    removed_at       timestamptz
);
CREATE INDEX codes_codebook ON codes (codebook_id);

CREATE TABLE code_versions (
    id               uuid PRIMARY KEY,
    code_id          uuid NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    version          integer NOT NULL CHECK (version >= 1),
    parent_id        uuid REFERENCES codes(id) ON DELETE SET NULL,
    name             jsonb NOT NULL CHECK (jsonb_typeof(name) = 'object'),
    definition       jsonb NOT NULL DEFAULT '{}',
    inclusion        jsonb NOT NULL DEFAULT '{}',
    exclusion        jsonb NOT NULL DEFAULT '{}',
    example          jsonb NOT NULL DEFAULT '{}',
    colour           text NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (code_id, version)
);

-- Text to code. Kiosk text is referenced, never copied: the excerpt reads
-- the moderated body (approved or redacted) through feedback_text_id, so a
-- later rejection hides it here too. An uploaded transcript keeps only its
-- scrubbed body; the original is never stored.
CREATE TABLE research_excerpts (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('kiosk', 'transcript')),
    feedback_text_id uuid UNIQUE REFERENCES feedback_texts(id) ON DELETE CASCADE,
    title            text NOT NULL DEFAULT '',
    body             text CHECK (length(body) <= 200000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'kiosk') = (feedback_text_id IS NOT NULL)),
    CHECK ((kind = 'kiosk') = (body IS NULL))
);
CREATE INDEX research_excerpts_list ON research_excerpts (organization_id, day);

-- A coding applies one version of a code to a whole excerpt (no span) or
-- to characters [span_start, span_end) of it, counted in Unicode code
-- points.
CREATE TABLE codings (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       uuid NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          uuid NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    code_version_id  uuid NOT NULL REFERENCES code_versions(id) ON DELETE CASCADE,
    coder_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    span_start       integer,
    span_end         integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((span_start IS NULL) = (span_end IS NULL)),
    CHECK (span_start IS NULL OR (span_start >= 0 AND span_end > span_start))
);
CREATE INDEX codings_excerpt ON codings (excerpt_id, coder_id);
CREATE INDEX codings_code ON codings (organization_id, code_id);

CREATE TABLE research_memos (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       uuid REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          uuid REFERENCES codes(id) ON DELETE CASCADE,
    author_id        uuid REFERENCES users(id) ON DELETE SET NULL,
    body             text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((excerpt_id IS NULL) <> (code_id IS NULL))
);
CREATE INDEX research_memos_excerpt ON research_memos (excerpt_id);
CREATE INDEX research_memos_code ON research_memos (code_id);

-- An overlap sample for blind double coding, reproducible from its seed.
CREATE TABLE research_samples (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    share_percent    integer NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
    seed             bigint NOT NULL,
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Which excerpts a coder is to code. An excerpt in a sample is blind: its
-- coder sees no one else's codes until every coder assigned to it has
-- submitted.
CREATE TABLE research_assignments (
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       uuid NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    coder_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sample_id        uuid REFERENCES research_samples(id) ON DELETE CASCADE,
    submitted_at     timestamptz,
    PRIMARY KEY (excerpt_id, coder_id)
);
CREATE INDEX research_assignments_coder ON research_assignments (organization_id, coder_id);
CREATE INDEX research_assignments_sample ON research_assignments (sample_id);

-- The agreed coding of a double-coded excerpt for one code: present or
-- not, who agreed it and the day. The coders' own codings stay as they
-- were, for the record.
CREATE TABLE research_reconciliations (
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    excerpt_id       uuid NOT NULL REFERENCES research_excerpts(id) ON DELETE CASCADE,
    code_id          uuid NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    present          boolean NOT NULL,
    agreed_by        uuid REFERENCES users(id) ON DELETE SET NULL,
    agreed_on        date NOT NULL,
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

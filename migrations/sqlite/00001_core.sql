-- +goose Up
-- Organizations (harm-reduction programs), their sites, staff and kiosks.
-- Identifiers are random UUIDs stored as text; times are DATETIME text in UTC.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    slug        TEXT NOT NULL UNIQUE CHECK (slug NOT GLOB '*[^a-z0-9-]*' AND length(slug) BETWEEN 1 AND 63),
    languages   TEXT NOT NULL DEFAULT 'en,es',
    min_cell    INTEGER NOT NULL DEFAULT 11 CHECK (min_cell >= 5),
    min_voters  INTEGER NOT NULL DEFAULT 5 CHECK (min_voters >= 1),
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE sites (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             TEXT NOT NULL CHECK (kind IN ('fixed', 'mobile')),
    setting          TEXT NOT NULL CHECK (setting IN ('urban', 'rural')),
    time_zone        TEXT NOT NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (organization_id, name)
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name   TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    language       TEXT NOT NULL DEFAULT 'en',
    created_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE memberships (
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'facilitator', 'policymaker')),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX memberships_organization ON memberships (organization_id);

CREATE TABLE kiosks (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash       BLOB UNIQUE,
    enrolled_at      DATETIME,
    revoked_at       DATETIME,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX kiosks_site ON kiosks (site_id);

-- What participants can choose: need and strength categories, per organization.
CREATE TABLE categories (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('need', 'strength')),
    code             TEXT NOT NULL CHECK (code NOT GLOB '*[^a-z0-9_]*' AND length(code) BETWEEN 1 AND 64),
    icon             TEXT NOT NULL DEFAULT '',
    labels           TEXT NOT NULL CHECK (json_valid(labels)),
    position         INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (organization_id, kind, code)
);

-- Anonymous submissions. The day, in the site's time zone, is the finest
-- time kept: no timestamp, no address, no device detail.
CREATE TABLE submissions (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    kiosk_id         TEXT REFERENCES kiosks(id) ON DELETE SET NULL,
    language         TEXT NOT NULL,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    needs            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(needs)),
    priorities       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(priorities)),
    strengths        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(strengths)),
    about            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(about)),
    idempotency_key  BLOB,
    request_hash     BLOB,
    UNIQUE (kiosk_id, idempotency_key)
);
CREATE INDEX submissions_org_day ON submissions (organization_id, day);
CREATE INDEX submissions_site_day ON submissions (site_id, day);

-- Free text waits here, scrubbed, until staff approve, redact or reject it.
CREATE TABLE feedback_texts (
    id               TEXT PRIMARY KEY,
    submission_id    TEXT NOT NULL UNIQUE REFERENCES submissions(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    body             TEXT NOT NULL CHECK (length(body) <= 1000),
    may_quote        INTEGER NOT NULL DEFAULT 0 CHECK (may_quote IN (0, 1)),
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'redacted', 'rejected')),
    moderated_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
    moderated_on     DATE
);
CREATE INDEX feedback_texts_queue ON feedback_texts (organization_id, state);

-- Proposals: what people asked for, and what the program did about it.
CREATE TABLE proposals (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title            TEXT NOT NULL CHECK (json_valid(title)),
    description      TEXT NOT NULL CHECK (json_valid(description)),
    origin           TEXT NOT NULL CHECK (origin IN ('participants', 'peer_facilitator', 'staff', 'policymaker')),
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'under_review', 'accepted', 'in_progress', 'done', 'declined')),
    needs            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(needs)),
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX proposals_org_status ON proposals (organization_id, status);

CREATE TABLE proposal_sites (
    proposal_id  TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    PRIMARY KEY (proposal_id, site_id)
);

CREATE TABLE proposal_updates (
    id           TEXT PRIMARY KEY,
    proposal_id  TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    day          DATE NOT NULL,
    created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX proposal_updates_proposal ON proposal_updates (proposal_id, created_at);

-- +goose Down
DROP TABLE proposal_updates;
DROP TABLE proposal_sites;
DROP TABLE proposals;
DROP TABLE feedback_texts;
DROP TABLE submissions;
DROP TABLE categories;
DROP TABLE kiosks;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE sites;
DROP TABLE organizations;

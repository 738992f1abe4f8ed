-- +goose Up
-- Organizations (harm-reduction programs), their sites, staff and kiosks.
CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    languages   text NOT NULL DEFAULT 'en,es',
    min_cell    integer NOT NULL DEFAULT 11 CHECK (min_cell >= 5),
    min_voters  integer NOT NULL DEFAULT 5 CHECK (min_voters >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sites (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             text NOT NULL CHECK (kind IN ('fixed', 'mobile')),
    setting          text NOT NULL CHECK (setting IN ('urban', 'rural')),
    time_zone        text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, name)
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name   text NOT NULL DEFAULT '',
    password_hash  text NOT NULL,
    language       text NOT NULL DEFAULT 'en',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN ('admin', 'staff', 'facilitator', 'policymaker')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX memberships_organization ON memberships (organization_id);

CREATE TABLE kiosks (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash       bytea UNIQUE,
    enrolled_at      timestamptz,
    revoked_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kiosks_site ON kiosks (site_id);

-- What participants can choose: need and strength categories, per organization.
CREATE TABLE categories (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('need', 'strength')),
    code             text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,64}$'),
    icon             text NOT NULL DEFAULT '',
    labels           jsonb NOT NULL,
    position         integer NOT NULL DEFAULT 0,
    active           boolean NOT NULL DEFAULT true,
    UNIQUE (organization_id, kind, code)
);

-- Anonymous submissions. The day, in the site's time zone, is the finest
-- time kept: no timestamp, no address, no device detail.
CREATE TABLE submissions (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    kiosk_id         uuid REFERENCES kiosks(id) ON DELETE SET NULL,
    language         text NOT NULL,
    day              date NOT NULL,
    needs            jsonb NOT NULL DEFAULT '[]',
    priorities       jsonb NOT NULL DEFAULT '[]',
    strengths        jsonb NOT NULL DEFAULT '[]',
    about            jsonb NOT NULL DEFAULT '{}',
    idempotency_key  bytea,
    request_hash     bytea,
    UNIQUE (kiosk_id, idempotency_key)
);
CREATE INDEX submissions_org_day ON submissions (organization_id, day);
CREATE INDEX submissions_site_day ON submissions (site_id, day);

-- Free text waits here, scrubbed, until staff approve, redact or reject it.
CREATE TABLE feedback_texts (
    id               uuid PRIMARY KEY,
    submission_id    uuid NOT NULL UNIQUE REFERENCES submissions(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              date NOT NULL,
    body             text NOT NULL CHECK (length(body) <= 1000),
    may_quote        boolean NOT NULL DEFAULT false,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'redacted', 'rejected')),
    moderated_by     uuid REFERENCES users(id) ON DELETE SET NULL,
    moderated_on     date
);
CREATE INDEX feedback_texts_queue ON feedback_texts (organization_id, state);

-- Proposals: what people asked for, and what the program did about it.
CREATE TABLE proposals (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title            jsonb NOT NULL,
    description      jsonb NOT NULL,
    origin           text NOT NULL CHECK (origin IN ('participants', 'peer_facilitator', 'staff', 'policymaker')),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'under_review', 'accepted', 'in_progress', 'done', 'declined')),
    needs            jsonb NOT NULL DEFAULT '[]',
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposals_org_status ON proposals (organization_id, status);

CREATE TABLE proposal_sites (
    proposal_id  uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    site_id      uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    PRIMARY KEY (proposal_id, site_id)
);

CREATE TABLE proposal_updates (
    id           uuid PRIMARY KEY,
    proposal_id  uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    status       text NOT NULL,
    body         jsonb NOT NULL,
    day          date NOT NULL,
    created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
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

-- +goose Up
-- Live sessions: a facilitator puts rounds to a room; people vote from
-- their phones, the program's tablets, or by a show of hands.
CREATE TABLE live_sessions (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    language         text NOT NULL,
    code             text NOT NULL CHECK (code ~ '^[A-Z0-9]{6}$'),
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'ended')),
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz
);
-- A join code names one open session; ended sessions free their code.
CREATE UNIQUE INDEX live_sessions_open_code ON live_sessions (code) WHERE state = 'open';
CREATE INDEX live_sessions_org ON live_sessions (organization_id, created_at DESC);

-- seq and tally are the round's running tally, written in the same
-- transaction as the votes and hand counts they sum.
CREATE TABLE live_rounds (
    id           uuid PRIMARY KEY,
    session_id   uuid NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    position     integer NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('agree', 'scale', 'pick', 'rank', 'dots')),
    prompt       text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
    options      jsonb NOT NULL,
    proposal_id  uuid REFERENCES proposals(id) ON DELETE SET NULL,
    max_rank     integer CHECK (max_rank >= 1),
    dots         integer CHECK (dots >= 1),
    state        text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
    seq          bigint NOT NULL DEFAULT 0,
    tally        jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, position)
);

-- Anonymous participants of one session: the hash of a random token, and
-- no time at all. Tokens are never linked across sessions.
CREATE TABLE live_participants (
    id          uuid PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE
);
CREATE INDEX live_participants_session ON live_participants (session_id);

-- A participant's latest vote per round; no timestamp column on purpose.
CREATE TABLE live_votes (
    round_id        uuid NOT NULL REFERENCES live_rounds(id) ON DELETE CASCADE,
    participant_id  uuid NOT NULL REFERENCES live_participants(id) ON DELETE CASCADE,
    vote_id         text NOT NULL CHECK (length(vote_id) BETWEEN 1 AND 64),
    choice          jsonb NOT NULL,
    PRIMARY KEY (round_id, participant_id)
);

-- Counts a facilitator entered from a show of hands or paper ballots.
CREATE TABLE live_hand_counts (
    round_id    uuid NOT NULL REFERENCES live_rounds(id) ON DELETE CASCADE,
    option      text NOT NULL,
    n           integer NOT NULL CHECK (n >= 0),
    entered_by  uuid REFERENCES users(id) ON DELETE SET NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, option)
);

-- A session's results, stored when it ends, for staff.
CREATE TABLE live_summaries (
    session_id       uuid PRIMARY KEY REFERENCES live_sessions(id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              date NOT NULL,
    summary          jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_summaries_org_day ON live_summaries (organization_id, day DESC);

-- +goose Down
DROP TABLE live_summaries;
DROP TABLE live_hand_counts;
DROP TABLE live_votes;
DROP TABLE live_participants;
DROP TABLE live_rounds;
DROP TABLE live_sessions;

-- +goose Up
-- Live sessions: a facilitator puts rounds to a room; people vote from
-- their phones, the program's tablets, or by a show of hands.
CREATE TABLE live_sessions (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    language         TEXT NOT NULL,
    code             TEXT NOT NULL CHECK (length(code) = 6 AND code NOT GLOB '*[^A-Z0-9]*'),
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'ended')),
    created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ended_at         DATETIME
);
-- A join code names one open session; ended sessions free their code.
CREATE UNIQUE INDEX live_sessions_open_code ON live_sessions (code) WHERE state = 'open';
CREATE INDEX live_sessions_org ON live_sessions (organization_id, created_at DESC);

-- seq and tally are the round's running tally, written in the same
-- transaction as the votes and hand counts they sum.
CREATE TABLE live_rounds (
    id           TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('agree', 'scale', 'pick', 'rank', 'dots')),
    prompt       TEXT NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
    options      TEXT NOT NULL CHECK (json_valid(options)),
    proposal_id  TEXT REFERENCES proposals(id) ON DELETE SET NULL,
    max_rank     INTEGER CHECK (max_rank >= 1),
    dots         INTEGER CHECK (dots >= 1),
    state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
    seq          INTEGER NOT NULL DEFAULT 0,
    tally        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(tally)),
    created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (session_id, position)
);

-- Anonymous participants of one session: the hash of a random token, and
-- no time at all. Tokens are never linked across sessions.
CREATE TABLE live_participants (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE
);
CREATE INDEX live_participants_session ON live_participants (session_id);

-- A participant's latest vote per round; no timestamp column on purpose.
CREATE TABLE live_votes (
    round_id        TEXT NOT NULL REFERENCES live_rounds(id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES live_participants(id) ON DELETE CASCADE,
    vote_id         TEXT NOT NULL CHECK (length(vote_id) BETWEEN 1 AND 64),
    choice          TEXT NOT NULL CHECK (json_valid(choice)),
    PRIMARY KEY (round_id, participant_id)
);

-- Counts a facilitator entered from a show of hands or paper ballots.
CREATE TABLE live_hand_counts (
    round_id    TEXT NOT NULL REFERENCES live_rounds(id) ON DELETE CASCADE,
    option      TEXT NOT NULL,
    n           INTEGER NOT NULL CHECK (n >= 0),
    entered_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (round_id, option)
);

-- A session's results, stored when it ends, for staff.
CREATE TABLE live_summaries (
    session_id       TEXT PRIMARY KEY REFERENCES live_sessions(id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day              DATE NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    summary          TEXT NOT NULL CHECK (json_valid(summary)),
    created_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX live_summaries_org_day ON live_summaries (organization_id, day DESC);

-- +goose Down
DROP TABLE live_summaries;
DROP TABLE live_hand_counts;
DROP TABLE live_votes;
DROP TABLE live_participants;
DROP TABLE live_rounds;
DROP TABLE live_sessions;

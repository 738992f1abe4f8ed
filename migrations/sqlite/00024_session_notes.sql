-- +goose Up
-- A facilitator's notes on a live session (issue 15) live in one place:
-- the session's research excerpt of kind 'notes' (00022), whose body holds
-- the scrubbed text. session_id says which session; one excerpt per
-- session. Adding a column with a CHECK tests the existing rows, which
-- have no notes yet.
ALTER TABLE research_excerpts ADD COLUMN session_id TEXT REFERENCES live_sessions(id) ON DELETE CASCADE
    CHECK ((kind = 'notes') = (session_id IS NOT NULL));
CREATE UNIQUE INDEX research_excerpts_session ON research_excerpts (session_id) WHERE session_id IS NOT NULL;

-- +goose Down
DELETE FROM research_excerpts WHERE kind = 'notes';
DROP INDEX research_excerpts_session;
ALTER TABLE research_excerpts DROP COLUMN session_id;

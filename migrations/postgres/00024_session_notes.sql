-- +goose Up
-- A facilitator's notes on a live session (issue 15) live in one place:
-- the session's research excerpt of kind 'notes' (00022), whose body holds
-- the scrubbed text. session_id says which session; one excerpt per
-- session.
ALTER TABLE research_excerpts ADD COLUMN session_id uuid REFERENCES live_sessions(id) ON DELETE CASCADE;
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_notes_session
    CHECK ((kind = 'notes') = (session_id IS NOT NULL));
CREATE UNIQUE INDEX research_excerpts_session ON research_excerpts (session_id) WHERE session_id IS NOT NULL;

-- +goose Down
DELETE FROM research_excerpts WHERE kind = 'notes';
DROP INDEX research_excerpts_session;
ALTER TABLE research_excerpts DROP COLUMN session_id;

-- +goose Up
-- Two more kinds of source to code. A live session's 'comment' answers are
-- moderated free text like the kiosk's, so their excerpts read the
-- moderated body through feedback_text_id; a facilitator's session 'notes'
-- keep their scrubbed body here, like a transcript.
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_kind_check;
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_check;
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_check1;
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_kind_check
    CHECK (kind IN ('kiosk', 'comment', 'transcript', 'notes'));
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_check
    CHECK ((kind IN ('kiosk', 'comment')) = (feedback_text_id IS NOT NULL));
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_check1
    CHECK ((kind IN ('kiosk', 'comment')) = (body IS NULL));

-- +goose Down
DELETE FROM research_excerpts WHERE kind IN ('comment', 'notes');
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_kind_check;
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_check;
ALTER TABLE research_excerpts DROP CONSTRAINT research_excerpts_check1;
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_kind_check
    CHECK (kind IN ('kiosk', 'transcript'));
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_check
    CHECK ((kind = 'kiosk') = (feedback_text_id IS NOT NULL));
ALTER TABLE research_excerpts ADD CONSTRAINT research_excerpts_check1
    CHECK ((kind = 'kiosk') = (body IS NULL));

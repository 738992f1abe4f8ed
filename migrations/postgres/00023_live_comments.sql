-- +goose Up
-- Live-session 'comment' rounds (issue 15): a short free-text answer from a
-- participant's phone, scrubbed and moderated exactly like kiosk text, so it
-- waits in feedback_texts too. A text now comes either from a submission
-- (the kiosk, a poster, a van) or from a live round, never both.
--
-- live_participant_id is the session's anonymous participant (a random id,
-- never anything else about them) and live_comment_id the id their phone
-- gave the comment, so a retried comment is stored once: one comment per
-- participant per round (the unique index).
ALTER TABLE live_rounds DROP CONSTRAINT live_rounds_kind_check;
ALTER TABLE live_rounds ADD CONSTRAINT live_rounds_kind_check
    CHECK (kind IN ('agree', 'scale', 'pick', 'rank', 'dots', 'comment'));

ALTER TABLE feedback_texts ALTER COLUMN submission_id DROP NOT NULL;
ALTER TABLE feedback_texts ADD COLUMN live_round_id uuid REFERENCES live_rounds(id) ON DELETE CASCADE;
ALTER TABLE feedback_texts ADD COLUMN live_participant_id uuid REFERENCES live_participants(id) ON DELETE CASCADE;
ALTER TABLE feedback_texts ADD COLUMN live_comment_id text CHECK (length(live_comment_id) BETWEEN 1 AND 64);
ALTER TABLE feedback_texts ADD CONSTRAINT feedback_texts_source_check
    CHECK ((submission_id IS NULL) <> (live_round_id IS NULL));
ALTER TABLE feedback_texts ADD CONSTRAINT feedback_texts_live_check
    CHECK ((live_round_id IS NULL) = (live_participant_id IS NULL) AND (live_round_id IS NULL) = (live_comment_id IS NULL));
CREATE UNIQUE INDEX feedback_texts_live_comment ON feedback_texts (live_round_id, live_participant_id);

-- +goose Down
DELETE FROM feedback_texts WHERE live_round_id IS NOT NULL;
DELETE FROM live_rounds WHERE kind = 'comment';
DROP INDEX feedback_texts_live_comment;
ALTER TABLE feedback_texts DROP CONSTRAINT feedback_texts_live_check;
ALTER TABLE feedback_texts DROP CONSTRAINT feedback_texts_source_check;
ALTER TABLE feedback_texts DROP COLUMN live_comment_id;
ALTER TABLE feedback_texts DROP COLUMN live_participant_id;
ALTER TABLE feedback_texts DROP COLUMN live_round_id;
ALTER TABLE feedback_texts ALTER COLUMN submission_id SET NOT NULL;
ALTER TABLE live_rounds DROP CONSTRAINT live_rounds_kind_check;
ALTER TABLE live_rounds ADD CONSTRAINT live_rounds_kind_check
    CHECK (kind IN ('agree', 'scale', 'pick', 'rank', 'dots'));

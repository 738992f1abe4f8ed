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
--
-- The new columns come with ADD COLUMN; the check that exactly one source
-- is set rides on live_round_id (SQLite lets a column's CHECK name other
-- columns, and tests it against the existing rows, which all have a
-- submission). Dropping NOT NULL from submission_id and widening the kinds
-- of round only loosen rules, which writable_schema allows (see 00009).
-- RESET (not OFF) makes the connection that ran the migration reload the
-- schema too: the bump below only reaches the pool's other connections,
-- and this one would go on refusing 'comment' rounds.
ALTER TABLE feedback_texts ADD COLUMN live_round_id TEXT REFERENCES live_rounds(id) ON DELETE CASCADE
    CHECK ((submission_id IS NULL) <> (live_round_id IS NULL));
ALTER TABLE feedback_texts ADD COLUMN live_participant_id TEXT REFERENCES live_participants(id) ON DELETE CASCADE
    CHECK ((live_round_id IS NULL) = (live_participant_id IS NULL));
ALTER TABLE feedback_texts ADD COLUMN live_comment_id TEXT
    CHECK (length(live_comment_id) BETWEEN 1 AND 64 AND (live_round_id IS NULL) = (live_comment_id IS NULL));
CREATE UNIQUE INDEX feedback_texts_live_comment ON feedback_texts (live_round_id, live_participant_id);

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'submission_id    TEXT NOT NULL UNIQUE REFERENCES', 'submission_id    TEXT UNIQUE REFERENCES')
 WHERE type = 'table' AND name = 'feedback_texts';
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''agree'', ''scale'', ''pick'', ''rank'', ''dots''))',
                          'CHECK (kind IN (''agree'', ''scale'', ''pick'', ''rank'', ''dots'', ''comment''))')
 WHERE type = 'table' AND name = 'live_rounds';
PRAGMA writable_schema = RESET;
CREATE TABLE chorus_schema_bump (x INTEGER);
DROP TABLE chorus_schema_bump;

-- +goose Down
DELETE FROM feedback_texts WHERE live_round_id IS NOT NULL;
DELETE FROM live_rounds WHERE kind = 'comment';
DROP INDEX feedback_texts_live_comment;
ALTER TABLE feedback_texts DROP COLUMN live_comment_id;
ALTER TABLE feedback_texts DROP COLUMN live_participant_id;
ALTER TABLE feedback_texts DROP COLUMN live_round_id;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'submission_id    TEXT UNIQUE REFERENCES', 'submission_id    TEXT NOT NULL UNIQUE REFERENCES')
 WHERE type = 'table' AND name = 'feedback_texts';
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''agree'', ''scale'', ''pick'', ''rank'', ''dots'', ''comment''))',
                          'CHECK (kind IN (''agree'', ''scale'', ''pick'', ''rank'', ''dots''))')
 WHERE type = 'table' AND name = 'live_rounds';
PRAGMA writable_schema = RESET;
CREATE TABLE chorus_schema_bump (x INTEGER);
DROP TABLE chorus_schema_bump;

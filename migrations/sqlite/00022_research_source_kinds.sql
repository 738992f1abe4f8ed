-- +goose Up
-- Two more kinds of source to code. A live session's 'comment' answers are
-- moderated free text like the kiosk's, so their excerpts read the
-- moderated body through feedback_text_id; a facilitator's session 'notes'
-- keep their scrubbed body here, like a transcript.
--
-- SQLite cannot alter a CHECK in place; these only loosen the rules
-- (existing rows meet them), which writable_schema allows (see 00009).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(replace(sql,
       'CHECK (kind IN (''kiosk'', ''transcript''))', 'CHECK (kind IN (''kiosk'', ''comment'', ''transcript'', ''notes''))'),
       'CHECK ((kind = ''kiosk'') = (feedback_text_id IS NOT NULL))', 'CHECK ((kind IN (''kiosk'', ''comment'')) = (feedback_text_id IS NOT NULL))'),
       'CHECK ((kind = ''kiosk'') = (body IS NULL))', 'CHECK ((kind IN (''kiosk'', ''comment'')) = (body IS NULL))')
 WHERE type = 'table' AND name = 'research_excerpts';
PRAGMA writable_schema = OFF;
CREATE TABLE chorus_schema_bump (x INTEGER);
DROP TABLE chorus_schema_bump;

-- +goose Down
DELETE FROM research_excerpts WHERE kind IN ('comment', 'notes');
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(replace(sql,
       'CHECK (kind IN (''kiosk'', ''comment'', ''transcript'', ''notes''))', 'CHECK (kind IN (''kiosk'', ''transcript''))'),
       'CHECK ((kind IN (''kiosk'', ''comment'')) = (feedback_text_id IS NOT NULL))', 'CHECK ((kind = ''kiosk'') = (feedback_text_id IS NOT NULL))'),
       'CHECK ((kind IN (''kiosk'', ''comment'')) = (body IS NULL))', 'CHECK ((kind = ''kiosk'') = (body IS NULL))')
 WHERE type = 'table' AND name = 'research_excerpts';
PRAGMA writable_schema = OFF;
CREATE TABLE chorus_schema_bump (x INTEGER);
DROP TABLE chorus_schema_bump;

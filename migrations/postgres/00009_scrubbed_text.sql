-- +goose Up
-- Scrubbing replaces each identifier with "[removed]", so a text of 1,000
-- characters can grow (142 short e-mail addresses become 1,278 characters).
-- Every removed span is at least one character and becomes nine, so 9,000
-- holds whatever the scrubber makes of 1,000 (privacy.MaxScrubbed): storage
-- must never refuse what a participant was allowed to send.
ALTER TABLE feedback_texts DROP CONSTRAINT feedback_texts_body_check;
ALTER TABLE feedback_texts ADD CONSTRAINT feedback_texts_body_check CHECK (length(body) <= 9000);

-- +goose Down
ALTER TABLE feedback_texts DROP CONSTRAINT feedback_texts_body_check;
ALTER TABLE feedback_texts ADD CONSTRAINT feedback_texts_body_check CHECK (length(body) <= 1000);

-- +goose Up
-- Stopping a finding's question at the kiosks keeps its period, marked with
-- the day it stopped: the kiosks stop asking it at once, but an answer a
-- tablet took while it was asked and sends later (after hours offline) is
-- still a fact of that day and is counted, not refused with the person's
-- whole feedback.
ALTER TABLE research_finding_asks ADD COLUMN stopped_on DATE;

-- +goose Down
ALTER TABLE research_finding_asks DROP COLUMN stopped_on;

-- +goose Up
-- A van kiosk's answers to "Do you support this?" sync like its
-- submissions: a third kind of edge item (here) and of outbox item (on the
-- van).
ALTER TABLE edge_items DROP CONSTRAINT edge_items_kind_check;
ALTER TABLE edge_items ADD CONSTRAINT edge_items_kind_check CHECK (kind IN ('submission', 'session', 'support'));
ALTER TABLE edge_outbox DROP CONSTRAINT edge_outbox_kind_check;
ALTER TABLE edge_outbox ADD CONSTRAINT edge_outbox_kind_check CHECK (kind IN ('submission', 'session', 'support'));

-- +goose Down
DELETE FROM edge_items WHERE kind = 'support';
DELETE FROM edge_outbox WHERE kind = 'support';
ALTER TABLE edge_items DROP CONSTRAINT edge_items_kind_check;
ALTER TABLE edge_items ADD CONSTRAINT edge_items_kind_check CHECK (kind IN ('submission', 'session'));
ALTER TABLE edge_outbox DROP CONSTRAINT edge_outbox_kind_check;
ALTER TABLE edge_outbox ADD CONSTRAINT edge_outbox_kind_check CHECK (kind IN ('submission', 'session'));

-- +goose Up
-- Counts changes to an organization's categories. Every category write
-- bumps it in the same transaction, so a server can keep the codes it
-- validates submissions against in memory and still see an admin's change
-- at the very next submission: the kiosk's authentication query reads this
-- number, and a cached set with another number is loaded again.
ALTER TABLE organizations ADD COLUMN categories_version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE organizations DROP COLUMN categories_version;

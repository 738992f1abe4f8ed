-- +goose Up
-- Processes keep kiosk authentications in memory between requests
-- (internal/store/kioskcache.go). Any change to a kiosk, its site or its
-- organization (a revocation, a new set-up code, urgent words, categories)
-- tells every process at its commit, whoever made it, and they forget what
-- they kept. The channel is per database and schema, computed as
-- database.ChannelName does.
-- +goose StatementBegin
CREATE FUNCTION chorus_kiosk_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('chorus_kiosk_auth_' || left(encode(sha256(convert_to(current_database() || '.' || coalesce(current_schema(), ''), 'UTF8')), 'hex'), 16), '');
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER kiosks_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON kiosks
    FOR EACH STATEMENT EXECUTE FUNCTION chorus_kiosk_auth_changed();
CREATE TRIGGER sites_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION chorus_kiosk_auth_changed();
CREATE TRIGGER organizations_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION chorus_kiosk_auth_changed();

-- +goose Down
DROP TRIGGER organizations_auth_changed ON organizations;
DROP TRIGGER sites_auth_changed ON sites;
DROP TRIGGER kiosks_auth_changed ON kiosks;
DROP FUNCTION chorus_kiosk_auth_changed();

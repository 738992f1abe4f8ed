-- +goose Up
-- PostgreSQL's 00025 tells every process when a kiosk's authentication may
-- have changed. On SQLite kiosk authentications are not kept between
-- requests (one query per request), so there is nothing to tell.
SELECT 1;

-- +goose Down
SELECT 1;

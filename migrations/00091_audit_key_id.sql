-- The audit chain is keyed: each row's hash is an HMAC-SHA256 with a secret
-- the database never sees (AUDIT_KEY), named here by its key id, so a
-- database superuser who edits rows cannot compute hashes that verify.
-- Rows written before (key_id '') keep their plain SHA-256.

-- +goose Up
ALTER TABLE audit_log ADD COLUMN key_id text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN key_id;

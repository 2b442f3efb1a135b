-- The audit log names the client that read, so a principal without an
-- api_client row (a bearer JWT, client_id 0) is still identified. The name is
-- part of the row's hash (see db.AuditEntry).

-- +goose Up
ALTER TABLE audit_log ADD COLUMN client_name varchar(200) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN client_name;

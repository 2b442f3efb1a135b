-- The append-only audit log of every read of person data. Each row carries
-- the SHA-256 hash of its content chained to the previous row's hash, so a
-- changed or removed row is detected by `cprgraph audit-verify`.

-- +goose Up
CREATE TABLE audit_log (
    id               bigserial PRIMARY KEY,
    at               timestamptz NOT NULL,
    request_id       varchar(64) NOT NULL,
    client_id        bigint NOT NULL,
    organisation_id  bigint NOT NULL,
    operations       text[] NOT NULL,
    purpose          varchar(200) NOT NULL DEFAULT '',
    cprs             text[] NOT NULL,
    prev_hash        bytea NOT NULL,
    hash             bytea NOT NULL UNIQUE
);
CREATE INDEX audit_log_cprs_idx ON audit_log USING gin (cprs);
CREATE INDEX audit_log_client_idx ON audit_log (client_id, at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();

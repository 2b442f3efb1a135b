-- The audit log partitioned by month (issue 17): audit_log becomes a table
-- partitioned by range of `at`, one partition per calendar month (UTC)
-- named audit_log_yYYYYmMM, and a DEFAULT partition for a month whose
-- partition does not exist yet. audit_log_ensure_partitions(ahead) creates
-- the partitions of every month from the oldest row's to `ahead` months
-- from now (the migration and the server call it); it is SECURITY DEFINER
-- so the application role can call it without CREATE rights.
--
-- A unique index on a partitioned table must include the partition key, so
-- (prev_hash) can no longer be unique across the log. The chain-fork guard
-- moves to audit_chain_head, a one-row table holding the hash of the last
-- row: a BEFORE INSERT trigger advances it only from the row's prev_hash
-- and otherwise refuses the row as a unique_violation of
-- audit_log_prev_hash_key, the same refusal db.AuditStore.Append already
-- handles (re-read the head under the audit lock and chain again). The row
-- update also waits for a concurrent writer's commit and re-checks, so two
-- writers holding the same head cannot both append.
--
-- The rows are moved in id order; ids, hashes and the sequence are kept,
-- so the chain and its checkpoints verify as before.

-- +goose Up
CREATE TABLE audit_log_partitioned (
    id               bigint NOT NULL,
    at               timestamptz NOT NULL,
    request_id       varchar(64) NOT NULL,
    client_id        bigint NOT NULL,
    organisation_id  bigint NOT NULL,
    operations       text[] NOT NULL,
    purpose          varchar(200) NOT NULL DEFAULT '',
    cprs             text[] NOT NULL,
    prev_hash        bytea NOT NULL,
    hash             bytea NOT NULL,
    client_name      varchar(200) NOT NULL DEFAULT '',
    key_id           text NOT NULL DEFAULT '',
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE audit_log_default PARTITION OF audit_log_partitioned DEFAULT;

-- +goose StatementBegin
CREATE FUNCTION audit_log_ensure_partitions(ahead integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    month timestamptz;
    last  timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => ahead);
    name  text;
BEGIN
    SELECT date_trunc('month', min(at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' INTO month FROM audit_log;
    month := least(coalesce(month, last), date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
    WHILE month <= last LOOP
        name := 'audit_log_' || to_char(month AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                name, month, month + interval '1 month');
            EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()', name);
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC', name);
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cprgraph_app') THEN
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM cprgraph_app', name);
            END IF;
        END IF;
        month := month + interval '1 month';
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- Swap the tables, then create the partitions the old rows need and move them.
ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
ALTER TABLE audit_log_partitioned RENAME TO audit_log;
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq');
-- +goose StatementBegin
DO $$
DECLARE
    month timestamptz;
    name  text;
BEGIN
    FOR month IN SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM audit_log_unpartitioned LOOP
        name := 'audit_log_' || to_char(month AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                name, month, month + interval '1 month');
            EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()', name);
        END IF;
    END LOOP;
END
$$;
-- +goose StatementEnd
SELECT audit_log_ensure_partitions(2);
INSERT INTO audit_log (id, at, request_id, client_id, organisation_id, operations, purpose, cprs, prev_hash, hash, client_name, key_id)
    SELECT id, at, request_id, client_id, organisation_id, operations, purpose, cprs, prev_hash, hash, client_name, key_id
    FROM audit_log_unpartitioned ORDER BY id;
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
DROP TABLE audit_log_unpartitioned;

CREATE INDEX audit_log_cprs_idx ON audit_log USING gin (cprs);
CREATE INDEX audit_log_client_idx ON audit_log (client_id, at);
CREATE INDEX audit_log_prev_hash_key ON audit_log (prev_hash);

CREATE TABLE audit_chain_head (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    hash  bytea NOT NULL
);
INSERT INTO audit_chain_head (hash)
    SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''::bytea);

-- +goose StatementBegin
CREATE FUNCTION audit_log_chain_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE audit_chain_head SET hash = NEW.hash WHERE hash = NEW.prev_hash;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit row chained to a hash that is not the head of the chain'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'audit_log_prev_hash_key';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_chain_guard BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain_guard();
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_log_default FROM PUBLIC;
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cprgraph_app') THEN
        GRANT SELECT, INSERT ON audit_log, audit_log_default TO cprgraph_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_log_default FROM cprgraph_app;
        GRANT SELECT ON audit_chain_head TO cprgraph_app;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM cprgraph_app;
        GRANT EXECUTE ON FUNCTION audit_log_ensure_partitions(integer) TO cprgraph_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
SELECT 'down not supported: the partitioned audit log is kept';

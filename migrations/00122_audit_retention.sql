-- Retention of the partitioned audit log (issue 17, AUDIT_RETENTION_MONTHS):
-- audit_log_drop_expired(months, covered_id) drops whole monthly partitions,
-- oldest first, whose month ended more than `months` months ago, only when
-- every row in them is covered by a checkpoint (id <= covered_id, the last
-- checkpoint the server wrote outside the database) and every row left has
-- a larger id (a month boundary can interleave ids: then it waits). Before
-- a partition goes, audit_log_horizon records its last row's id and hash and
-- the count of rows dropped so far, so the chain still verifies from there
-- (db.AuditStore.VerifyChain) and checkpoints' row counts still agree.

-- +goose Up
CREATE TABLE audit_log_horizon (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_id    bigint NOT NULL,
    last_hash  bytea NOT NULL,
    rows       bigint NOT NULL
);
INSERT INTO audit_log_horizon (last_id, last_hash, rows) VALUES (0, ''::bytea, 0);

-- +goose StatementBegin
CREATE FUNCTION audit_log_drop_expired(months integer, covered_id bigint) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    part    text;
    month   timestamptz;
    cutoff  timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => months);
    max_id  bigint;
    n       bigint;
    h       bytea;
BEGIN
    IF months < 1 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(7202611); -- the audit lock: no append meanwhile
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_log'::regclass AND c.relname ~ '^audit_log_y[0-9]{4}m[0-9]{2}$'
        ORDER BY c.relname
    LOOP
        month := make_timestamptz(substr(part, 12, 4)::int, substr(part, 17, 2)::int, 1, 0, 0, 0, 'UTC');
        EXIT WHEN month + interval '1 month' > cutoff;
        EXECUTE format('SELECT max(id), count(*) FROM %I', part) INTO max_id, n;
        IF max_id IS NOT NULL THEN
            EXIT WHEN max_id > covered_id;
            EXIT WHEN EXISTS (SELECT FROM audit_log WHERE at >= month + interval '1 month' AND id < max_id)
                   OR EXISTS (SELECT FROM audit_log_default WHERE id < max_id);
            EXECUTE format('SELECT hash FROM %I WHERE id = $1', part) INTO h USING max_id;
            UPDATE audit_log_horizon SET last_id = max_id, last_hash = h, rows = rows + n;
        END IF;
        EXECUTE format('DROP TABLE %I', part);
        RETURN NEXT part;
    END LOOP;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cprgraph_app') THEN
        GRANT SELECT ON audit_log_horizon TO cprgraph_app;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log_horizon FROM cprgraph_app;
        GRANT EXECUTE ON FUNCTION audit_log_drop_expired(integer, bigint) TO cprgraph_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION audit_log_drop_expired(integer, bigint);
DROP TABLE audit_log_horizon;

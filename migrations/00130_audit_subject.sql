-- The audit log's subjects (issue 17, auditLog(cpr) at scale): one row in
-- audit_subject per CPR number an audit row names (cpr, the row's id and
-- time), partitioned by month as audit_log is (audit_subject_yYYYYmMM beside
-- audit_log_yYYYYmMM, and a DEFAULT partition), with a B-tree on
-- (cpr, audit_id) INCLUDE (at) per partition: a number's rows in id order
-- from the index alone (once vacuum has marked the pages all-visible), and
-- `at` to reach each row's audit_log partition only. db.AuditStore writes it in the statement
-- that appends the audit rows and reads it for a filter by CPR number; the
-- GIN index on audit_log.cprs it replaces is dropped. It is not part of the
-- chain: the hash covers audit_log.cprs, which audit_subject only indexes.
--
-- audit_log_create_partition(month) creates both tables' partitions of a
-- month; audit_log_ensure_partitions and audit_log_drop_expired now create
-- and drop them together.

-- +goose Up
CREATE TABLE audit_subject (
    cpr       text NOT NULL,
    audit_id  bigint NOT NULL,
    at        timestamptz NOT NULL
) PARTITION BY RANGE (at);
CREATE TABLE audit_subject_default PARTITION OF audit_subject DEFAULT;

-- +goose StatementBegin
CREATE FUNCTION audit_log_create_partition(month timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    suffix text := to_char(month AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
    t      text;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_log', 'audit_subject'] LOOP
        IF to_regclass(t || '_' || suffix) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                t || '_' || suffix, t, month, month + interval '1 month');
            EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()', t || '_' || suffix);
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC', t || '_' || suffix);
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cprgraph_app') THEN
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM cprgraph_app', t || '_' || suffix);
            END IF;
        END IF;
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_log_ensure_partitions(ahead integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    month timestamptz;
    last  timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => ahead);
BEGIN
    SELECT date_trunc('month', min(at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' INTO month FROM audit_log;
    month := least(coalesce(month, last), date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
    WHILE month <= last LOOP
        PERFORM audit_log_create_partition(month);
        month := month + interval '1 month';
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- The subjects' partitions of every month audit_log has one for, then the
-- subjects of the rows already logged.
SELECT audit_log_create_partition(make_timestamptz(substr(c.relname, 12, 4)::int, substr(c.relname, 17, 2)::int, 1, 0, 0, 0, 'UTC'))
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'audit_log'::regclass AND c.relname ~ '^audit_log_y[0-9]{4}m[0-9]{2}$';
INSERT INTO audit_subject (cpr, audit_id, at)
    SELECT DISTINCT s.cpr, a.id, a.at FROM audit_log a, unnest(a.cprs) AS s (cpr);
CREATE INDEX audit_subject_cpr_idx ON audit_subject (cpr, audit_id) INCLUDE (at);
DROP INDEX audit_log_cprs_idx;

CREATE TRIGGER audit_subject_no_update BEFORE UPDATE OR DELETE ON audit_subject
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_subject
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_subject_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_subject, audit_subject_default FROM PUBLIC;

-- Retention drops a month's subjects with its rows. A month whose subjects
-- sit in the DEFAULT partition (its audit_log partition was made without
-- audit_log_create_partition) waits: they could not be dropped with it.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_log_drop_expired(months integer, covered_id bigint) RETURNS SETOF text
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
                   OR EXISTS (SELECT FROM audit_log_default WHERE id < max_id)
                   OR EXISTS (SELECT FROM audit_subject_default WHERE at < month + interval '1 month');
            EXECUTE format('SELECT hash FROM %I WHERE id = $1', part) INTO h USING max_id;
            UPDATE audit_log_horizon SET last_id = max_id, last_hash = h, rows = rows + n;
        END IF;
        EXECUTE format('DROP TABLE %I', part);
        EXECUTE format('DROP TABLE IF EXISTS %I', 'audit_subject_' || substr(part, 11));
        RETURN NEXT part;
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'cprgraph_app') THEN
        GRANT SELECT, INSERT ON audit_subject, audit_subject_default TO cprgraph_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_subject, audit_subject_default FROM cprgraph_app;
        GRANT EXECUTE ON FUNCTION audit_log_create_partition(timestamptz) TO cprgraph_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
SELECT 'down not supported: the audit log keeps its subjects';

-- Registration time (bitemporal storage). Every datatype table T of the
-- register (the 18 of seed 004 and personkommunikation) gets T_version: the
-- same columns, and the registration period [registered_from, registered_to)
-- in which that row was what the register held for its key. registered_to
-- NULL: still held. The current tables stay as they are, the fast path of
-- every read that does not ask for a registration time.
--
-- The versions are written by statement-level triggers in the transaction
-- that changes T, so the importer's all-or-nothing file, a COPY load and a
-- test fixture all keep them, and a rolled-back import leaves none. The
-- registration time is the transaction's start (now()): every row of one
-- imported file has the same one. A row updated twice in one transaction
-- leaves an empty period [t, t) for its first version, which no time hits.
-- A deleted row's version is closed.
--
-- T_known(k) returns the rows of T as registered at time k, with T's row
-- type; it is a plain SQL function, inlined by the planner, so a filter on
-- cpr reaches the (cpr, registered_from) index. Rows present when this
-- migration ran are backfilled as registered since -infinity.
--
-- A column added to T later must be added to T_version too (and T_known
-- recreated); TestVersionTablesMatch in db/ fails until it is.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION register_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := TG_TABLE_NAME || '_version';
    key text := TG_ARGV[0];
    cols text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('UPDATE %I v SET registered_to = now() FROM old_rows o
                         WHERE v.%I = o.%I AND v.registered_to IS NULL', versions, key, key);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('INSERT INTO %I (%s, registered_from) SELECT %s, now() FROM new_rows', versions, cols, cols);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t record;
    cols text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('person', 'cpr'), ('personfamilie', 'cpr'), ('personkontakt', 'cpr'), ('personudvidet', 'cpr'),
            ('deltbopael', 'cpr'), ('personkommunikation', 'cpr'), ('barnrelation', 'id'),
            ('foraeldremyndighedrelation', 'id'), ('historiskeadresser', 'id'), ('historiskecivilstande', 'id'),
            ('historiskefolkekirkeoplysninger', 'id'), ('historiskeforsvindgenfindoplysninger', 'id'),
            ('historiskenavneoplysninger', 'id'), ('historiskepersonnumre', 'id'),
            ('historiskerejseoplysninger', 'id'), ('historiskeseparationer', 'id'),
            ('historiskestatsborgerskaber', 'id'), ('notat', 'id'), ('umyndiggoerelsevaergerelation', 'id')
        ) AS v (name, key)
    LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = t.name::regclass AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('CREATE TABLE %I (LIKE %I, registered_from timestamptz NOT NULL, registered_to timestamptz,
                            CHECK (registered_to IS NULL OR registered_to >= registered_from))',
                       t.name || '_version', t.name);
        EXECUTE format('CREATE INDEX %I ON %I (cpr, registered_from)', t.name || '_version_cpr_idx', t.name || '_version');
        EXECUTE format('CREATE UNIQUE INDEX %I ON %I (%I) WHERE registered_to IS NULL',
                       t.name || '_version_open_idx', t.name || '_version', t.key);
        EXECUTE format('INSERT INTO %I SELECT %s, ''-infinity'', NULL FROM %I', t.name || '_version', cols, t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION register_version(%L)', t.name || '_version_ins', t.name, t.key);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION register_version(%L)', t.name || '_version_upd', t.name, t.key);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION register_version(%L)', t.name || '_version_del', t.name, t.key);
        EXECUTE format('CREATE FUNCTION %I(k timestamptz) RETURNS SETOF %I LANGUAGE sql STABLE PARALLEL SAFE AS %L',
                       t.name || '_known', t.name,
                       format('SELECT %s FROM %I WHERE registered_from <= k AND (registered_to IS NULL OR k < registered_to)',
                              cols, t.name || '_version'));
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['person', 'personfamilie', 'personkontakt', 'personudvidet', 'deltbopael',
            'personkommunikation', 'barnrelation', 'foraeldremyndighedrelation', 'historiskeadresser',
            'historiskecivilstande', 'historiskefolkekirkeoplysninger', 'historiskeforsvindgenfindoplysninger',
            'historiskenavneoplysninger', 'historiskepersonnumre', 'historiskerejseoplysninger',
            'historiskeseparationer', 'historiskestatsborgerskaber', 'notat', 'umyndiggoerelsevaergerelation']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_version_ins', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_version_upd', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_version_del', t);
        EXECUTE format('DROP FUNCTION %I(timestamptz)', t || '_known');
        EXECUTE format('DROP TABLE %I', t || '_version');
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION register_version();

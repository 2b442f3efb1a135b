-- The one definition of name-and-address protection (navne- og
-- adressebeskyttelse); every query that reads, searches, lists or streams
-- persons asks it, and the Go side only reads its answer (see access).
--
-- protection_active(start, delete_date, day): a protection record is in force
-- from its start up to, not including, its delete date. A record with a
-- delete date but no start is taken as in force until then: when in doubt,
-- protect.
--
-- name_address_protected(number): whether the person holding this CPR number
-- is protected today (in Denmark), by ANY source: personkontakt's navne- og
-- adressebeskyttelse or person's navnebeskyttelse, of ANY number of the same
-- person. A person's numbers are its current number (an old record's
-- gaeldende_cpr, status 50/60), the records whose gaeldende_cpr points to it,
-- and its historiskepersonnumre. An old record whose gaeldende_cpr is not in
-- the register is protected: its person cannot be judged. It is PL/pgSQL so
-- that each session plans its statements once (as a SQL function with these
-- subqueries it was planned anew in every statement calling it, which cost
-- more than the point lookup's own statement).

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION protection_active(start date, delete_date date, day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (start IS NOT NULL AND start <= day AND (delete_date IS NULL OR day < delete_date))
        OR (start IS NULL AND delete_date IS NOT NULL AND day < delete_date)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION danish_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (now() AT TIME ZONE 'Europe/Copenhagen')::date
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION name_address_protected(number cpr_nummer) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    root  cpr_nummer;
    today date := danish_today();
BEGIN
    SELECT p.gaeldende_cpr INTO root FROM person p
     WHERE p.cpr = number AND p.gaeldende_cpr IS NOT NULL AND p.gaeldende_cpr <> number;
    IF root IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person c WHERE c.cpr = root) THEN
        RETURN true;
    END IF;
    root := COALESCE(root, number);
    RETURN EXISTS (
        SELECT 1 FROM (
            SELECT root AS cpr
            UNION SELECT number
            UNION SELECT p.cpr FROM person p WHERE p.gaeldende_cpr = root
            UNION SELECT h.historisk_cpr::cpr_nummer FROM historiskepersonnumre h WHERE h.cpr = root
            UNION SELECT h.cpr FROM historiskepersonnumre h WHERE h.historisk_cpr = number::varchar) n
        WHERE EXISTS (SELECT 1 FROM personkontakt k WHERE k.cpr = n.cpr
                AND protection_active(k.navne_adressebeskyttelse_start_dato, k.navne_adressebeskyttelse_slette_dato, today))
           OR EXISTS (SELECT 1 FROM person p WHERE p.cpr = n.cpr
                AND protection_active(p.navnebeskyttelsestartdato::date, p.navnebeskyttelseslettedato::date, today)));
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION name_address_protected(cpr_nummer);
DROP FUNCTION danish_today();
DROP FUNCTION protection_active(date, date, date);

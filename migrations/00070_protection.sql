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
-- the register is protected: its person cannot be judged.

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
CREATE FUNCTION name_address_protected(number text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH root AS (
        SELECT COALESCE((SELECT p.gaeldende_cpr FROM person p
                          WHERE p.cpr = number AND p.gaeldende_cpr IS NOT NULL AND p.gaeldende_cpr <> number),
                        number) AS cpr
    ), numbers AS (
        SELECT cpr FROM root
        UNION SELECT number
        UNION SELECT p.cpr FROM person p, root WHERE p.gaeldende_cpr = root.cpr
        UNION SELECT h.historisk_cpr FROM historiskepersonnumre h, root WHERE h.cpr = root.cpr
        UNION SELECT h.cpr FROM historiskepersonnumre h WHERE h.historisk_cpr = number
    )
    SELECT EXISTS (
            SELECT 1 FROM personkontakt k JOIN numbers n ON n.cpr = k.cpr
             WHERE protection_active(k.navne_adressebeskyttelse_start_dato, k.navne_adressebeskyttelse_slette_dato, danish_today()))
        OR EXISTS (
            SELECT 1 FROM person p JOIN numbers n ON n.cpr = p.cpr
             WHERE protection_active(p.navnebeskyttelsestartdato::date, p.navnebeskyttelseslettedato::date, danish_today()))
        OR EXISTS (
            SELECT 1 FROM person p, root
             WHERE p.cpr = number AND root.cpr <> number
               AND NOT EXISTS (SELECT 1 FROM person c WHERE c.cpr = root.cpr))
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION name_address_protected(text);
DROP FUNCTION danish_today();
DROP FUNCTION protection_active(date, date, date);

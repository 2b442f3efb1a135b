-- Events as seed 001's PersonHændelseSamlingHent returns them.
--
-- current_cpr(number): the person's current CPR number ("Det PersonCPRNummer,
-- der returneres, er personens aktuelle CPR-nummer"): the gaeldende_cpr of
-- an old record (status 50/60), else the number whose historiskepersonnumre
-- hold it, else the number itself. person_numbers(number): every number of
-- the same person (the current one, old records pointing to it, its
-- historiskepersonnumre), so events stored under an old number are found by
-- the new one. Both follow one change of number, as name_address_protected
-- does.
--
-- event_group(kind, data): the events that say the same thing about a
-- person, of which "the day's final status" keeps the last one registered
-- that day: DEATH and REVIVAL are one (a death registered and corrected the
-- same day leaves only the revival), RELATION one per relation, every other
-- kind its own.

-- +goose Up

-- +goose StatementBegin
CREATE FUNCTION current_cpr(number text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT COALESCE(
        (SELECT p.gaeldende_cpr FROM person p
          WHERE p.cpr = number AND p.gaeldende_cpr IS NOT NULL AND p.gaeldende_cpr <> number),
        (SELECT h.cpr FROM historiskepersonnumre h
          WHERE h.historisk_cpr = number AND h.cpr <> number
          ORDER BY h.slut_dato DESC NULLS FIRST, h.id LIMIT 1),
        number)
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION person_numbers(number text) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH root AS (SELECT current_cpr(number) AS cpr)
    SELECT array_agg(DISTINCT n) FROM (
        SELECT cpr AS n FROM root
        UNION SELECT number
        UNION SELECT p.cpr FROM person p, root WHERE p.gaeldende_cpr = root.cpr
        UNION SELECT h.historisk_cpr FROM historiskepersonnumre h, root WHERE h.cpr = root.cpr
    ) numbers
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION event_group(kind text, data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN kind IN ('DEATH', 'REVIVAL') THEN 'DEATH'
        WHEN kind = 'RELATION' THEN 'RELATION:' || coalesce(data->>'relation', '')
        ELSE kind
    END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION event_group(text, jsonb);
DROP FUNCTION person_numbers(text);
DROP FUNCTION current_cpr(text);

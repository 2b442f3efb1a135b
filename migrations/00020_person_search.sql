-- Indexes for the person operations: PersonSøg (postal code + street-name
-- prefix, then house number; the name is filtered within that small set) and
-- PersonkredsSøg (birth date, keyset-paged by CPR number). Plain btree
-- indexes: lower(vejnavn) with text_pattern_ops serves LIKE 'prefix%' in any
-- collation, so no extension (pg_trgm) is needed.

-- +goose Up
CREATE INDEX person_search_street_idx ON person (postnummer, lower(vejnavn) text_pattern_ops, husnummer);
CREATE INDEX person_birth_cpr_idx ON person (foedselsdato, cpr);

-- +goose Down
DROP INDEX person_birth_cpr_idx, person_search_street_idx;

-- Reads as known at an instant (knownAt, migration 00100) of the roots that
-- find persons by address or birth date rather than by CPR number (issue 15:
-- searchPersons, personsByBirthDate, household, residents) read person_version
-- and historiskeadresser_version by those columns: the indexes the current
-- tables have for them (00001, 00020), on the version tables.

-- +goose Up
CREATE INDEX person_version_address_idx ON person_version (kommune_kode, vej_kode, husnummer, etage, side_doer_nummer);
CREATE INDEX person_version_search_street_idx ON person_version (postnummer, lower(vejnavn) text_pattern_ops, husnummer);
CREATE INDEX person_version_birth_idx ON person_version (foedselsdato, cpr);
CREATE INDEX historiskeadresser_version_address_idx ON historiskeadresser_version (kommune_kode, vej_kode, husnummer, etage, side_doer_nummer);

-- +goose Down
DROP INDEX historiskeadresser_version_address_idx;
DROP INDEX person_version_birth_idx;
DROP INDEX person_version_search_street_idx;
DROP INDEX person_version_address_idx;

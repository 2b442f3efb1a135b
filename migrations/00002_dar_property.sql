-- DAR addresses, properties (BFE) and their ownerships (the Ejerfortegnelsen
-- model), used by the landlord lookup.

-- +goose Up
-- dar_adresse is one DAR address (a dwelling or, without floor and door, a
-- whole house number). Floor and door are '' rather than NULL when absent so
-- that CPR addresses join on plain equality.
CREATE TABLE dar_adresse (
    id                 uuid PRIMARY KEY,
    husnummer_id       uuid NOT NULL,
    kommune_kode       kommune_kode NOT NULL,
    vej_kode           integer NOT NULL CHECK (vej_kode BETWEEN 0 AND 9999),
    vejnavn            varchar(40) NOT NULL,
    husnummer          varchar(4) NOT NULL,
    etage              varchar(2) NOT NULL DEFAULT '',
    side_doer_nummer   varchar(4) NOT NULL DEFAULT '',
    postnummer         integer NOT NULL CHECK (postnummer BETWEEN 0 AND 9999),
    postdistrikt       varchar(20) NOT NULL,
    bfe_nummer         bigint,
    UNIQUE (kommune_kode, vej_kode, husnummer, etage, side_doer_nummer)
);
CREATE INDEX dar_adresse_husnummer_idx ON dar_adresse (husnummer_id);
CREATE INDEX dar_adresse_vejnavn_idx ON dar_adresse (kommune_kode, lower(vejnavn), husnummer);
CREATE INDEX dar_adresse_bfe_idx ON dar_adresse (bfe_nummer);

-- ejendom is a property (Bestemt Fast Ejendom) by its BFE number.
CREATE TABLE ejendom (
    bfe_nummer   bigint PRIMARY KEY,
    betegnelse   varchar(100) NOT NULL DEFAULT ''
);
ALTER TABLE dar_adresse ADD FOREIGN KEY (bfe_nummer) REFERENCES ejendom (bfe_nummer);

-- ejerskab is one ownership period of a property; exactly one of owner CVR
-- and owner CPR is set. The current owner has ejet_til NULL and status 'gældende'.
CREATE TABLE ejerskab (
    id           bigserial PRIMARY KEY,
    bfe_nummer   bigint NOT NULL REFERENCES ejendom (bfe_nummer),
    ejer_cvr     char(8) CHECK (ejer_cvr ~ '^[0-9]{8}$'),
    ejer_cpr     cpr_nummer,
    ejet_fra     date NOT NULL,
    ejet_til     date,
    status       varchar(20) NOT NULL DEFAULT 'gældende' CHECK (status IN ('gældende', 'historisk')),
    CHECK ((ejer_cvr IS NULL) <> (ejer_cpr IS NULL)),
    CHECK (ejet_til IS NULL OR ejet_til >= ejet_fra)
);
CREATE INDEX ejerskab_bfe_idx ON ejerskab (bfe_nummer, ejet_fra DESC);
CREATE INDEX ejerskab_cvr_idx ON ejerskab (ejer_cvr) WHERE ejer_cvr IS NOT NULL;
CREATE INDEX ejerskab_cpr_idx ON ejerskab (ejer_cpr) WHERE ejer_cpr IS NOT NULL;

-- +goose Down
DROP TABLE ejerskab, dar_adresse, ejendom;

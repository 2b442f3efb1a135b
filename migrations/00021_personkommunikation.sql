-- personkommunikation holds the e-mail address and the mobile number that
-- CSR-P's PersonStamoplysningerMultiHent returns where held (EmailAdresseEmail,
-- MobilTelefonNummerValg: a Danish number or a foreign one, at most one).
-- They are not part of the seed-004 model, so they get their own table.

-- +goose Up
CREATE TABLE personkommunikation (
    cpr                   cpr_nummer PRIMARY KEY,
    email                 varchar(254),
    mobil_telefon         varchar(8) CHECK (mobil_telefon ~ '^[0-9]{8}$'),
    mobil_udenlandsk      varchar(20) CHECK (mobil_udenlandsk ~ '^\+?[0-9]{4,19}$'),
    CHECK (mobil_telefon IS NULL OR mobil_udenlandsk IS NULL)
);

-- +goose Down
DROP TABLE personkommunikation;

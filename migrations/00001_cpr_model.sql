-- The "CPR Udvidet" data model of seed 004: one table per datatype, one column
-- per field (camelCase field names in snake_case), the seed's optionality as
-- NOT NULL and its value sets as CHECK constraints. A CPR number referenced
-- from another datatype need not exist in person (parents abroad, extracts).

-- +goose Up
CREATE DOMAIN cpr_nummer AS char(10) CHECK (VALUE ~ '^[0-9]{10}$');
CREATE DOMAIN ret_fortryd AS varchar(1) CHECK (VALUE IN ('K', 'A', 'Æ'));
CREATE DOMAIN navn_markering AS varchar(1) CHECK (VALUE IN ('+', '*', '='));
CREATE DOMAIN civilstand_kode AS varchar(1) CHECK (VALUE IN ('U', 'G', 'F', 'E', 'P', 'O', 'L', 'D'));
CREATE DOMAIN folkekirke_kode AS varchar(1) CHECK (VALUE IN ('A', 'F', 'M', 'S', 'U'));
CREATE DOMAIN kommune_kode AS integer CHECK (VALUE BETWEEN 0 AND 9999);

CREATE TABLE person (
    cpr                          cpr_nummer PRIMARY KEY,
    adresserings_navn            varchar(34),
    bygningsnummer               varchar(10),
    bynavn                       varchar(34),
    co_navn                      varchar(34),
    efternavn                    varchar(40),
    efternavn_markering          navn_markering,
    etage                        varchar(2),
    foedselsdato                 date,
    foedselsdato_markering       varchar(1),
    fornavn                      varchar(50),
    fornavn_markering            navn_markering,
    gaeldende_cpr                cpr_nummer,
    husnummer                    varchar(4),
    koen                         char(1) CHECK (koen IN ('M', 'K')),
    kommune_kode                 kommune_kode,
    lokalitet                    varchar(34),
    mellemnavn                   varchar(40),
    mellemnavn_markering         navn_markering,
    navnebeskyttelseslettedato   timestamp,
    navnebeskyttelsestartdato    timestamp,
    navn_start_dato              timestamp,
    navn_start_dato_markering    varchar(1),
    postdistrikt                 varchar(20),
    postnummer                   integer CHECK (postnummer BETWEEN 0 AND 9999),
    side_doer_nummer             varchar(4),
    slut_dato                    date,
    slut_dato_markering          varchar(1),
    standard_adresse             varchar(34),
    start_dato                   date,
    start_dato_markering         varchar(1),
    status                       char(2) CHECK (status IN ('01', '03', '05', '07', '20', '30', '50', '60', '70', '80', '90')),
    status_dato                  timestamp,
    status_markering             varchar(1),
    stilling                     varchar(50),
    unreliable                   varchar(2000),
    vej_kode                     integer CHECK (vej_kode BETWEEN 0 AND 9999),
    vejnavn                      varchar(30)
);
CREATE INDEX person_address_idx ON person (kommune_kode, vej_kode, husnummer, etage, side_doer_nummer);
CREATE INDEX person_search_idx ON person (postnummer, husnummer);
CREATE INDEX person_birth_idx ON person (foedselsdato, kommune_kode);
CREATE INDEX person_gaeldende_idx ON person (gaeldende_cpr) WHERE gaeldende_cpr IS NOT NULL;

CREATE TABLE personfamilie (
    cpr                                  cpr_nummer PRIMARY KEY,
    aegtefaelle_cpr                      varchar(10),
    aegtefaelle_foedsels_dato            date,
    aegtefaelle_foedsels_dato_markering  varchar(1),
    aegtefaelle_navn                     varchar(34),
    aegtefaelle_navn_markering           varchar(1),
    civilstand                           civilstand_kode,
    civilstand_seperations_henvisning    timestamp,
    civilstand_start_dato                timestamp,
    civilstand_start_dato_markering      varchar(1),
    far_cpr                              varchar(10),
    far_dato                             date,
    far_dato_markering                   varchar(1),
    far_foedselsdato                     date,
    far_foedselsdato_markering           varchar(1),
    far_navn                             varchar(34),
    far_navn_markering                   varchar(1),
    mor_cpr                              varchar(10),
    mor_dato                             date,
    mor_dato_markering                   varchar(1),
    mor_foedselsdato                     date,
    mor_foedselsdato_markering           varchar(1),
    mor_navn                             varchar(34),
    mor_navn_markering                   varchar(1),
    seperation_civilstand_henvisning     timestamp,
    seperation_start_dato                date,
    seperation_start_dato_markering      varchar(1),
    unreliable                           varchar(2000)
);
CREATE INDEX personfamilie_aegtefaelle_idx ON personfamilie (aegtefaelle_cpr);
CREATE INDEX personfamilie_mor_idx ON personfamilie (mor_cpr);
CREATE INDEX personfamilie_far_idx ON personfamilie (far_cpr);

CREATE TABLE personkontakt (
    cpr                                      cpr_nummer PRIMARY KEY,
    bygningsnummer                           varchar(4),
    co_navn                                  varchar(34),
    etage                                    varchar(2),
    forskerbeskyttelse_slette_dato           date,
    forskerbeskyttelse_start_dato            date,
    forsvindings_dato                        timestamp,
    forsvindings_dato_markering              varchar(1),
    fraflytning_kommune_dato                 timestamp,
    fraflytning_kommune_dato_markering       varchar(1),
    fraflytning_kommune_kode                 kommune_kode,
    husnummer                                varchar(4),
    kommune_kode                             kommune_kode,
    kontakt_adr1                             varchar(34),
    kontakt_adr2                             varchar(34),
    kontakt_adr3                             varchar(34),
    kontakt_adr4                             varchar(34),
    kontakt_adr5                             varchar(34),
    markedsfoeringsbeskyttelse_slette_dato   date,
    markedsfoeringsbeskyttelse_start_dato    date,
    navne_adressebeskyttelse_slette_dato     date,
    navne_adressebeskyttelse_start_dato      date,
    side_doer_nummer                         varchar(4),
    slet_dato_adr                            date,
    slette_dato_kontakt_adr                  date,
    start_dato_adr                           date,
    start_dato_kontakt_adr                   date,
    start_myndighed_adr                      integer CHECK (start_myndighed_adr BETWEEN 0 AND 9999),
    statsborgerskab_landekode                integer CHECK (statsborgerskab_landekode BETWEEN 0 AND 9999),
    statsborgerskab_start_dato               timestamp,
    statsborgerskab_start_dato_markering     varchar(1),
    supplerende_adr1                         varchar(34),
    supplerende_adr2                         varchar(34),
    supplerende_adr3                         varchar(34),
    supplerende_adr4                         varchar(34),
    supplerende_adr5                         varchar(34),
    tilflytning_kommune_dato                 timestamp,
    tilflytning_kommune_dato_markering       varchar(1),
    tilflytnings_dato                        timestamp,
    tilflytnings_dato_markering              varchar(1),
    udlands_adr1                             varchar(34),
    udlands_adr2                             varchar(34),
    udlands_adr3                             varchar(34),
    udlands_adr4                             varchar(34),
    udlands_adr5                             varchar(34),
    udrejse_dato                             timestamp,
    udrejse_dato_markering                   varchar(1),
    udrejse_landekode                        integer CHECK (udrejse_landekode BETWEEN 0 AND 9999),
    unreliable                               varchar(2000),
    vej_kode                                 integer CHECK (vej_kode BETWEEN 0 AND 9999),
    vejviserbeskyttelse_slette_dato          date,
    vejviserbeskyttelse_start_dato           date
);
CREATE INDEX personkontakt_protection_idx ON personkontakt (navne_adressebeskyttelse_start_dato)
    WHERE navne_adressebeskyttelse_start_dato IS NOT NULL;

CREATE TABLE personudvidet (
    cpr                                     cpr_nummer PRIMARY KEY,
    flyttepaabud_bemaerkninger              varchar(40),
    flyttepaabud_start_dato                 date,
    foedselsregistreringssted_kode          integer CHECK (foedselsregistreringssted_kode BETWEEN 0 AND 9999),
    foedselsregistreringssted_tekst         varchar(20),
    folkekirke_forhold                      folkekirke_kode,
    folkekirke_start_dato                   date,
    folkekirke_start_dato_markering         varchar(1),
    kommunaleforhold_bemaerkninger          varchar(30),
    kommunaleforhold_kode                   varchar(5),
    kommunaleforhold_start_dato             date,
    kommunaleforhold_start_dato_markering   varchar(1),
    kommunaleforhold_type                   integer CHECK (kommunaleforhold_type BETWEEN 1 AND 9),
    unreliable                              varchar(2000),
    valg_kode                               integer CHECK (valg_kode BETWEEN 1 AND 6),
    valg_oplysninger_slette_dato            date,
    valg_oplysninger_start_dato             date,
    valgret_dato                            date,
    CHECK (kommunaleforhold_type IS DISTINCT FROM 1 OR kommunaleforhold_kode = 'A'),
    CHECK (kommunaleforhold_type IS DISTINCT FROM 2 OR kommunaleforhold_kode = 'P'),
    CHECK (kommunaleforhold_type IS DISTINCT FROM 3 OR kommunaleforhold_kode IN ('F', 'I', 'N'))
);

CREATE TABLE barnrelation (
    id          varchar(21) PRIMARY KEY,
    barn_cpr    cpr_nummer NOT NULL,
    cpr         cpr_nummer NOT NULL,
    unreliable  varchar(2000)
);
CREATE INDEX barnrelation_cpr_idx ON barnrelation (cpr);
CREATE INDEX barnrelation_barn_idx ON barnrelation (barn_cpr);

CREATE TABLE deltbopael (
    cpr                      cpr_nummer PRIMARY KEY,
    start_dato               date,
    start_dato_markering     varchar(1),
    unreliable               varchar(2000)
);

CREATE TABLE foraeldremyndighedrelation (
    id                                          varchar(21) PRIMARY KEY,
    cpr                                         varchar(10) NOT NULL,
    foraeldre_myndighed_slette_dato             date,
    foraeldre_myndighed_start_dato              date,
    foraeldre_myndighed_start_dato_markering    varchar(1),
    relation_cpr                                varchar(10),
    relation_cpr_start_dato                     date,
    type_kode                                   varchar(4) NOT NULL CHECK (type_kode IN ('0003', '0004', '0005', '0006')),
    type_tekst                                  varchar(50) NOT NULL,
    unreliable                                  varchar(2000),
    CHECK (relation_cpr IS NULL OR type_kode IN ('0005', '0006'))
);
CREATE INDEX foraeldremyndighedrelation_cpr_idx ON foraeldremyndighedrelation (cpr);
CREATE INDEX foraeldremyndighedrelation_relation_idx ON foraeldremyndighedrelation (relation_cpr);

CREATE TABLE historiskeadresser (
    id                            varchar(32) PRIMARY KEY,
    bygningsnummer                varchar(4),
    co_navn                       varchar(34),
    cpr                           cpr_nummer NOT NULL,
    etage                         varchar(2),
    fraflytnings_dato             timestamp,
    fraflytnings_dato_markering   varchar(1),
    husnummer                     varchar(4),
    kommune_kode                  kommune_kode,
    ret_fortryd_aendring          ret_fortryd,
    side_doer_nummer              varchar(4),
    tilflytnings_dato             timestamp,
    tilflytnings_dato_markering   varchar(1),
    unreliable                    varchar(2000),
    vej_kode                      integer CHECK (vej_kode BETWEEN 0 AND 9999)
);
CREATE INDEX historiskeadresser_cpr_idx ON historiskeadresser (cpr, tilflytnings_dato DESC);
CREATE INDEX historiskeadresser_address_idx ON historiskeadresser (kommune_kode, vej_kode, husnummer, etage, side_doer_nummer);

CREATE TABLE historiskecivilstande (
    id                                  varchar(32) PRIMARY KEY,
    aegtefaelle_cpr                     varchar(10),
    aegtefaelle_foedsels_dato           date,
    aegtefaelle_foedsels_dato_markering varchar(1),
    aegtefaelle_navn                    varchar(34),
    aegtefaelle_navn_markering          varchar(1),
    civilstand                          civilstand_kode,
    cpr                                 cpr_nummer NOT NULL,
    ret_fortryd_aendring                ret_fortryd,
    seperation_henvisning               timestamp,
    slut_dato                           timestamp,
    slut_dato_markering                 varchar(1),
    start_dato                          timestamp,
    start_dato_markering                varchar(1),
    unreliable                          varchar(2000)
);
CREATE INDEX historiskecivilstande_cpr_idx ON historiskecivilstande (cpr, start_dato);
CREATE INDEX historiskecivilstande_aegtefaelle_idx ON historiskecivilstande (aegtefaelle_cpr);

CREATE TABLE historiskefolkekirkeoplysninger (
    id                      varchar(32) PRIMARY KEY,
    cpr                     cpr_nummer NOT NULL,
    folkekirkeforhold       folkekirke_kode,
    slut_dato               date,
    slut_dato_markering     varchar(1),
    start_dato              date,
    start_dato_markering    varchar(1),
    unreliable              varchar(2000)
);
CREATE INDEX historiskefolkekirkeoplysninger_cpr_idx ON historiskefolkekirkeoplysninger (cpr, start_dato);

CREATE TABLE historiskeforsvindgenfindoplysninger (
    id                           varchar(32) PRIMARY KEY,
    cpr                          cpr_nummer NOT NULL,
    forsvindings_dato            timestamp,
    forsvindings_dato_markering  varchar(1),
    genfindings_dato             timestamp,
    genfindings_dato_markering   varchar(1),
    ret_fortryd_aendring         ret_fortryd,
    unreliable                   varchar(2000)
);
CREATE INDEX historiskeforsvindgenfindoplysninger_cpr_idx ON historiskeforsvindgenfindoplysninger (cpr);

CREATE TABLE historiskenavneoplysninger (
    id                      varchar(32) PRIMARY KEY,
    cpr                     cpr_nummer NOT NULL,
    efternavn               varchar(40),
    efternavn_markering     navn_markering,
    fornavn                 varchar(50),
    fornavn_markering       navn_markering,
    mellemnavn              varchar(40),
    mellemnavn_markering    navn_markering,
    ret_fortryd_aendring    ret_fortryd,
    slut_dato               timestamp,
    slut_dato_markering     varchar(1),
    start_dato              timestamp,
    start_dato_markering    varchar(1),
    unreliable              varchar(2000)
);
CREATE INDEX historiskenavneoplysninger_cpr_idx ON historiskenavneoplysninger (cpr, start_dato);

CREATE TABLE historiskepersonnumre (
    id                      varchar(32) PRIMARY KEY,
    cpr                     cpr_nummer NOT NULL,
    historisk_cpr           varchar(10) NOT NULL,
    slut_dato               date,
    slut_dato_markering     varchar(1),
    start_dato              date,
    start_dato_markering    varchar(1),
    unreliable              varchar(2000)
);
CREATE INDEX historiskepersonnumre_cpr_idx ON historiskepersonnumre (cpr);
CREATE INDEX historiskepersonnumre_historisk_idx ON historiskepersonnumre (historisk_cpr);

CREATE TABLE historiskerejseoplysninger (
    id                      varchar(32) PRIMARY KEY,
    cpr                     cpr_nummer NOT NULL,
    indrejse_dato           timestamp,
    indrejse_landekode      integer CHECK (indrejse_landekode BETWEEN 0 AND 9999),
    indrejse_markering      varchar(1),
    ret_fortryd_aendring    ret_fortryd,
    udlands_adr1            varchar(34),
    udlands_adr2            varchar(34),
    udlands_adr3            varchar(34),
    udlands_adr4            varchar(34),
    udlands_adr5            varchar(34),
    udrejse_dato            timestamp,
    udrejse_landekode       integer CHECK (udrejse_landekode BETWEEN 0 AND 9999),
    udrejse_markering       varchar(1),
    unreliable              varchar(2000)
);
CREATE INDEX historiskerejseoplysninger_cpr_idx ON historiskerejseoplysninger (cpr);

CREATE TABLE historiskeseparationer (
    id                        varchar(32) PRIMARY KEY,
    civilstand_henvisning     timestamp,
    cpr                       cpr_nummer NOT NULL,
    ret_fortryd_aendring      ret_fortryd,
    slut_dato                 date,
    slut_dato_markering       varchar(1),
    start_dato                date,
    start_dato_markering      varchar(1),
    unreliable                varchar(2000)
);
CREATE INDEX historiskeseparationer_cpr_idx ON historiskeseparationer (cpr);

CREATE TABLE historiskestatsborgerskaber (
    id                      varchar(32) PRIMARY KEY,
    cpr                     cpr_nummer NOT NULL,
    landekode               integer CHECK (landekode BETWEEN 0 AND 9999),
    ret_fortryd_aendring    ret_fortryd,
    slut_dato               timestamp,
    slut_dato_markering     varchar(1),
    start_dato              timestamp,
    start_dato_markering    varchar(1),
    unreliable              varchar(2000)
);
CREATE INDEX historiskestatsborgerskaber_cpr_idx ON historiskestatsborgerskaber (cpr);

CREATE TABLE notat (
    id              varchar(13) PRIMARY KEY,
    cpr             cpr_nummer NOT NULL,
    notat_linje     varchar(40),
    notat_nummer    integer NOT NULL CHECK (notat_nummer BETWEEN 0 AND 99),
    slet_dato       date,
    start_dato      date,
    unreliable      varchar(2000)
);
CREATE INDEX notat_cpr_idx ON notat (cpr);

CREATE TABLE umyndiggoerelsevaergerelation (
    id                              varchar(21) PRIMARY KEY,
    cpr                             varchar(10) NOT NULL,
    relation_cpr                    varchar(10),
    relation_cpr_start_dato         timestamp,
    relations_tekst1                varchar(50),
    relations_tekst2                varchar(50),
    relations_tekst3                varchar(50),
    relations_tekst4                varchar(50),
    relations_tekst5                varchar(50),
    type_kode                       varchar(4) NOT NULL CHECK (type_kode IN ('0000', '0001', '0002')),
    type_tekst                      varchar(50) NOT NULL,
    umyndig_slette_dato             date,
    umyndig_start_dato              date,
    umyndig_start_dato_markering    varchar(1),
    unreliable                      varchar(2000),
    vaerges_navn                    varchar(50),
    vaerges_navn_start_dato         timestamp,
    CHECK (relation_cpr IS NULL OR (vaerges_navn IS NULL AND relations_tekst1 IS NULL))
);
CREATE INDEX umyndiggoerelsevaergerelation_cpr_idx ON umyndiggoerelsevaergerelation (cpr);
CREATE INDEX umyndiggoerelsevaergerelation_relation_idx ON umyndiggoerelsevaergerelation (relation_cpr);

-- +goose Down
DROP TABLE umyndiggoerelsevaergerelation, notat, historiskestatsborgerskaber, historiskeseparationer,
    historiskerejseoplysninger, historiskepersonnumre, historiskenavneoplysninger,
    historiskeforsvindgenfindoplysninger, historiskefolkekirkeoplysninger, historiskecivilstande,
    historiskeadresser, foraeldremyndighedrelation, deltbopael, barnrelation, personudvidet,
    personkontakt, personfamilie, person;
DROP DOMAIN kommune_kode, folkekirke_kode, civilstand_kode, navn_markering, ret_fortryd, cpr_nummer;

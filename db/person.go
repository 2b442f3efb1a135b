package db

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/cpr"
)

// Person is one person of the register: the person datatype of seed 004
// (current master data and folkeregisteradresse) together with the other
// datatypes that hold one row per person: personkontakt, personfamilie,
// personudvidet, deltbopael and personkommunikation. A missing row of a
// joined datatype leaves its fields nil.
type Person struct {
	CPR               string     `db:"cpr"`
	AddressingName    *string    `db:"adresserings_navn"`
	BuildingNumber    *string    `db:"bygningsnummer"`
	CityName          *string    `db:"bynavn"`
	CoName            *string    `db:"co_navn"`
	LastName          *string    `db:"efternavn"`
	LastNameMark      *string    `db:"efternavn_markering"`
	Floor             *string    `db:"etage"`
	BirthDate         *time.Time `db:"foedselsdato"`
	BirthDateMark     *string    `db:"foedselsdato_markering"`
	FirstName         *string    `db:"fornavn"`
	FirstNameMark     *string    `db:"fornavn_markering"`
	NewCPR            *string    `db:"gaeldende_cpr"`
	HouseNumber       *string    `db:"husnummer"`
	Sex               *string    `db:"koen"`
	MunicipalityCode  *int       `db:"kommune_kode"`
	Locality          *string    `db:"lokalitet"`
	MiddleName        *string    `db:"mellemnavn"`
	MiddleNameMark    *string    `db:"mellemnavn_markering"`
	NameStartDate     *time.Time `db:"navn_start_dato"`
	NameStartDateMark *string    `db:"navn_start_dato_markering"`
	PostalDistrict    *string    `db:"postdistrikt"`
	PostalCode        *int       `db:"postnummer"`
	Door              *string    `db:"side_doer_nummer"`
	StandardAddress   *string    `db:"standard_adresse"`
	Status            *string    `db:"status"`
	StatusDate        *time.Time `db:"status_dato"`
	StatusDateMark    *string    `db:"status_markering"`
	Occupation        *string    `db:"stilling"`
	RecordStart       *time.Time `db:"start_dato"`
	RecordStartMark   *string    `db:"start_dato_markering"`
	RecordEnd         *time.Time `db:"slut_dato"`
	RecordEndMark     *string    `db:"slut_dato_markering"`
	Unreliable        *string    `db:"unreliable"`
	StreetCode        *int       `db:"vej_kode"`
	StreetName        *string    `db:"vejnavn"`

	// Protected is whether the person has a name-and-address protection in
	// force today by any source and any of its CPR numbers, as the database's
	// name_address_protected judged it when the row was read (migration
	// 00070): the one definition of protection.
	Protected bool `db:"protected"`
	// NameProtection is person's own name protection (navnebeskyttelse), one
	// of the sources of Protected.
	NameProtection DatedProtection `db:"n"`

	Contact  Contact  `db:"k"`
	Family   Family   `db:"f"`
	Extended Extended `db:"u"`

	// SharedResidenceStart is the start of a child's shared residence
	// (deltbopæl) with both parents, with its uncertainty marker and the
	// deltbopael row's unreliable field.
	SharedResidenceStart      *time.Time `db:"shared_residence_start"`
	SharedResidenceStartMark  *string    `db:"shared_residence_start_mark"`
	SharedResidenceUnreliable *string    `db:"shared_residence_unreliable"`
	// Email, MobilePhone (8 digits) and ForeignMobilePhone come from
	// personkommunikation; at most one of the phone numbers is set.
	Email              *string `db:"email"`
	MobilePhone        *string `db:"mobile_phone"`
	ForeignMobilePhone *string `db:"foreign_mobile_phone"`

	// AsOf is the validity date the person was read as of (PersonsAsOf);
	// nil for the register as it stands.
	AsOf *time.Time `db:"-"`
	// KnownAt is the registration time the person was read as known at
	// (RegisterStore.At); nil for what the register holds now.
	KnownAt *time.Time `db:"-"`
}

// ReplacedBy returns the person's new CPR number when this one was
// replaced (omplaceret), else nil.
func (p Person) ReplacedBy() *string {
	if p.NewCPR == nil || *p.NewCPR == p.CPR {
		return nil
	}
	return p.NewCPR
}

// View returns the view the person was read in: its relatives, lists and
// histories are read in the same one.
func (p Person) View() View { return View{AsOf: p.AsOf, KnownAt: p.KnownAt} }

// Contact is a person's personkontakt row: move-in date, the alternative
// addresses (contact, foreign, supplementary), citizenship and protections.
type Contact struct {
	MoveInDate         *time.Time      `db:"tilflytnings_dato"`
	MoveInDateMark     *string         `db:"tilflytnings_dato_markering"`
	BuildingNumber     *string         `db:"bygningsnummer"`
	CoName             *string         `db:"co_navn"`
	Floor              *string         `db:"etage"`
	HouseNumber        *string         `db:"husnummer"`
	MunicipalityCode   *int            `db:"kommune_kode"`
	Door               *string         `db:"side_doer_nummer"`
	StreetCode         *int            `db:"vej_kode"`
	AddressStart       *time.Time      `db:"start_dato_adr"`
	AddressDelete      *time.Time      `db:"slet_dato_adr"`
	AddressAuthority   *int            `db:"start_myndighed_adr"`
	DisappearedOn      *time.Time      `db:"forsvindings_dato"`
	DisappearedOnMark  *string         `db:"forsvindings_dato_markering"`
	MunicipalityOut    *time.Time      `db:"fraflytning_kommune_dato"`
	MunicipalityOutM   *string         `db:"fraflytning_kommune_dato_markering"`
	PreviousMunicipal  *int            `db:"fraflytning_kommune_kode"`
	MunicipalityIn     *time.Time      `db:"tilflytning_kommune_dato"`
	MunicipalityInM    *string         `db:"tilflytning_kommune_dato_markering"`
	ExitDateMark       *string         `db:"udrejse_dato_markering"`
	CitizenshipMark    *string         `db:"statsborgerskab_start_dato_markering"`
	Unreliable         *string         `db:"unreliable"`
	ContactLine1       *string         `db:"kontakt_adr1"`
	ContactLine2       *string         `db:"kontakt_adr2"`
	ContactLine3       *string         `db:"kontakt_adr3"`
	ContactLine4       *string         `db:"kontakt_adr4"`
	ContactLine5       *string         `db:"kontakt_adr5"`
	ContactStart       *time.Time      `db:"start_dato_kontakt_adr"`
	ContactEnd         *time.Time      `db:"slette_dato_kontakt_adr"`
	ForeignLine1       *string         `db:"udlands_adr1"`
	ForeignLine2       *string         `db:"udlands_adr2"`
	ForeignLine3       *string         `db:"udlands_adr3"`
	ForeignLine4       *string         `db:"udlands_adr4"`
	ForeignLine5       *string         `db:"udlands_adr5"`
	ExitDate           *time.Time      `db:"udrejse_dato"`
	ExitCountryCode    *int            `db:"udrejse_landekode"`
	SupplementaryLine1 *string         `db:"supplerende_adr1"`
	SupplementaryLine2 *string         `db:"supplerende_adr2"`
	SupplementaryLine3 *string         `db:"supplerende_adr3"`
	SupplementaryLine4 *string         `db:"supplerende_adr4"`
	SupplementaryLine5 *string         `db:"supplerende_adr5"`
	CitizenshipCountry *int            `db:"statsborgerskab_landekode"`
	CitizenshipStart   *time.Time      `db:"statsborgerskab_start_dato"`
	NameAddressProt    DatedProtection `db:"na"`  // navne- og adressebeskyttelse
	DirectoryProt      DatedProtection `db:"dir"` // vejviserbeskyttelse
	MarketingProt      DatedProtection `db:"mkt"` // markedsføringsbeskyttelse
	ResearchProt       DatedProtection `db:"res"` // forskerbeskyttelse
}

// Family is a person's personfamilie row: civil status with the spouse, and
// the parents. A relative with a CPR number has only the number; one without
// has a name and a birth date instead.
type Family struct {
	CivilStatus      *string    `db:"civilstand"`
	CivilStatusStart *time.Time `db:"civilstand_start_dato"`
	SpouseCPR        *string    `db:"aegtefaelle_cpr"`
	SpouseName       *string    `db:"aegtefaelle_navn"`
	SpouseBirthDate  *time.Time `db:"aegtefaelle_foedsels_dato"`
	SeparationStart  *time.Time `db:"seperation_start_dato"`
	MotherCPR        *string    `db:"mor_cpr"`
	MotherName       *string    `db:"mor_navn"`
	MotherBirthDate  *time.Time `db:"mor_foedselsdato"`
	MotherDate       *time.Time `db:"mor_dato"`
	FatherCPR        *string    `db:"far_cpr"`
	FatherName       *string    `db:"far_navn"`
	FatherBirthDate  *time.Time `db:"far_foedselsdato"`
	FatherDate       *time.Time `db:"far_dato"`

	SpouseBirthDateMark   *string    `db:"aegtefaelle_foedsels_dato_markering"`
	SpouseNameMark        *string    `db:"aegtefaelle_navn_markering"`
	CivilStatusStartMark  *string    `db:"civilstand_start_dato_markering"`
	CivilStatusSeparation *time.Time `db:"civilstand_seperations_henvisning"`
	SeparationCivilStatus *time.Time `db:"seperation_civilstand_henvisning"`
	SeparationStartMark   *string    `db:"seperation_start_dato_markering"`
	MotherDateMark        *string    `db:"mor_dato_markering"`
	MotherBirthDateMark   *string    `db:"mor_foedselsdato_markering"`
	MotherNameMark        *string    `db:"mor_navn_markering"`
	FatherDateMark        *string    `db:"far_dato_markering"`
	FatherBirthDateMark   *string    `db:"far_foedselsdato_markering"`
	FatherNameMark        *string    `db:"far_navn_markering"`
	Unreliable            *string    `db:"unreliable"`
}

// Extended is a person's personudvidet row: the relation to the Church of
// Denmark (folkekirkeforhold), voting rights (valg), municipal conditions
// (kommunale forhold), a relocation order (flyttepåbud) and the place the
// birth was registered.
type Extended struct {
	ChurchRelation     *string    `db:"folkekirke_forhold"`
	ChurchStart        *time.Time `db:"folkekirke_start_dato"`
	ChurchStartMark    *string    `db:"folkekirke_start_dato_markering"`
	RelocationRemarks  *string    `db:"flyttepaabud_bemaerkninger"`
	RelocationStart    *time.Time `db:"flyttepaabud_start_dato"`
	BirthPlaceCode     *int       `db:"foedselsregistreringssted_kode"`
	BirthPlaceText     *string    `db:"foedselsregistreringssted_tekst"`
	MunicipalRemarks   *string    `db:"kommunaleforhold_bemaerkninger"`
	MunicipalCode      *string    `db:"kommunaleforhold_kode"`
	MunicipalStart     *time.Time `db:"kommunaleforhold_start_dato"`
	MunicipalStartMark *string    `db:"kommunaleforhold_start_dato_markering"`
	MunicipalType      *int       `db:"kommunaleforhold_type"`
	VotingCode         *int       `db:"valg_kode"`
	VotingDeleteDate   *time.Time `db:"valg_oplysninger_slette_dato"`
	VotingStartDate    *time.Time `db:"valg_oplysninger_start_dato"`
	VotingRightDate    *time.Time `db:"valgret_dato"`
	Unreliable         *string    `db:"unreliable"`
}

// SubjectCPR returns the person's CPR number.
func (p Person) SubjectCPR() string { return p.CPR }

// NameAddressProtected reports whether the person is protected today.
func (p Person) NameAddressProtected() bool { return p.Protected }

// DatedProtection is one registered protection: its dates and whether it is
// in force today (the database's protection_active).
type DatedProtection struct {
	Start  *time.Time `db:"start"`
	Delete *time.Time `db:"delete"`
	Active bool       `db:"active"`
}

// protectedColumn is the SQL of Person.Protected over person p.
const protectedColumn = `name_address_protected(p.cpr)`

// personSelect selects Person rows: person p with its personkontakt k,
// personfamilie f, personudvidet u, deltbopael d and personkommunikation m.
// Callers add WHERE and ORDER BY on p.
const personSelect = `SELECT ` + personColumns + personFrom

// personColumns are the columns of a Person row over the tables of personFrom.
const personColumns = `p.cpr, p.adresserings_navn, p.bygningsnummer, p.bynavn, p.co_navn, p.efternavn,
	p.efternavn_markering, p.etage, p.foedselsdato, p.foedselsdato_markering, p.fornavn, p.fornavn_markering,
	p.gaeldende_cpr, p.husnummer, p.koen, p.kommune_kode, p.lokalitet, p.mellemnavn, p.mellemnavn_markering,
	p.navn_start_dato, p.navn_start_dato_markering, p.postdistrikt, p.postnummer, p.side_doer_nummer,
	p.standard_adresse, p.status, p.status_dato, p.status_markering, p.stilling, p.vej_kode, p.vejnavn,
	p.start_dato, p.start_dato_markering, p.slut_dato, p.slut_dato_markering, p.unreliable,
	` + protectedColumn + ` AS protected,
	p.navnebeskyttelsestartdato::date AS "n.start", p.navnebeskyttelseslettedato::date AS "n.delete",
	COALESCE(protection_active(p.navnebeskyttelsestartdato::date, p.navnebeskyttelseslettedato::date, danish_today()), false) AS "n.active",
	k.navne_adressebeskyttelse_start_dato AS "k.na.start", k.navne_adressebeskyttelse_slette_dato AS "k.na.delete",
	COALESCE(protection_active(k.navne_adressebeskyttelse_start_dato, k.navne_adressebeskyttelse_slette_dato, danish_today()), false) AS "k.na.active",
	k.vejviserbeskyttelse_start_dato AS "k.dir.start", k.vejviserbeskyttelse_slette_dato AS "k.dir.delete",
	COALESCE(protection_active(k.vejviserbeskyttelse_start_dato, k.vejviserbeskyttelse_slette_dato, danish_today()), false) AS "k.dir.active",
	k.markedsfoeringsbeskyttelse_start_dato AS "k.mkt.start", k.markedsfoeringsbeskyttelse_slette_dato AS "k.mkt.delete",
	COALESCE(protection_active(k.markedsfoeringsbeskyttelse_start_dato, k.markedsfoeringsbeskyttelse_slette_dato, danish_today()), false) AS "k.mkt.active",
	k.forskerbeskyttelse_start_dato AS "k.res.start", k.forskerbeskyttelse_slette_dato AS "k.res.delete",
	COALESCE(protection_active(k.forskerbeskyttelse_start_dato, k.forskerbeskyttelse_slette_dato, danish_today()), false) AS "k.res.active",
	k.tilflytnings_dato AS "k.tilflytnings_dato", k.tilflytnings_dato_markering AS "k.tilflytnings_dato_markering",
	k.bygningsnummer AS "k.bygningsnummer", k.co_navn AS "k.co_navn", k.etage AS "k.etage", k.husnummer AS "k.husnummer",
	k.kommune_kode AS "k.kommune_kode", k.side_doer_nummer AS "k.side_doer_nummer", k.vej_kode AS "k.vej_kode",
	k.start_dato_adr AS "k.start_dato_adr", k.slet_dato_adr AS "k.slet_dato_adr", k.start_myndighed_adr AS "k.start_myndighed_adr",
	k.forsvindings_dato AS "k.forsvindings_dato", k.forsvindings_dato_markering AS "k.forsvindings_dato_markering",
	k.fraflytning_kommune_dato AS "k.fraflytning_kommune_dato", k.fraflytning_kommune_dato_markering AS "k.fraflytning_kommune_dato_markering",
	k.fraflytning_kommune_kode AS "k.fraflytning_kommune_kode",
	k.tilflytning_kommune_dato AS "k.tilflytning_kommune_dato", k.tilflytning_kommune_dato_markering AS "k.tilflytning_kommune_dato_markering",
	k.udrejse_dato_markering AS "k.udrejse_dato_markering", k.statsborgerskab_start_dato_markering AS "k.statsborgerskab_start_dato_markering",
	k.unreliable AS "k.unreliable",
	k.kontakt_adr1 AS "k.kontakt_adr1", k.kontakt_adr2 AS "k.kontakt_adr2", k.kontakt_adr3 AS "k.kontakt_adr3",
	k.kontakt_adr4 AS "k.kontakt_adr4", k.kontakt_adr5 AS "k.kontakt_adr5",
	k.start_dato_kontakt_adr AS "k.start_dato_kontakt_adr", k.slette_dato_kontakt_adr AS "k.slette_dato_kontakt_adr",
	k.udlands_adr1 AS "k.udlands_adr1", k.udlands_adr2 AS "k.udlands_adr2", k.udlands_adr3 AS "k.udlands_adr3",
	k.udlands_adr4 AS "k.udlands_adr4", k.udlands_adr5 AS "k.udlands_adr5",
	k.udrejse_dato AS "k.udrejse_dato", k.udrejse_landekode AS "k.udrejse_landekode",
	k.supplerende_adr1 AS "k.supplerende_adr1", k.supplerende_adr2 AS "k.supplerende_adr2",
	k.supplerende_adr3 AS "k.supplerende_adr3", k.supplerende_adr4 AS "k.supplerende_adr4",
	k.supplerende_adr5 AS "k.supplerende_adr5",
	k.statsborgerskab_landekode AS "k.statsborgerskab_landekode", k.statsborgerskab_start_dato AS "k.statsborgerskab_start_dato",
	f.civilstand AS "f.civilstand", f.civilstand_start_dato AS "f.civilstand_start_dato",
	f.aegtefaelle_cpr AS "f.aegtefaelle_cpr",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_navn END AS "f.aegtefaelle_navn",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_foedsels_dato END AS "f.aegtefaelle_foedsels_dato",
	f.seperation_start_dato AS "f.seperation_start_dato",
	f.mor_cpr AS "f.mor_cpr", CASE WHEN f.mor_cpr IS NULL THEN f.mor_navn END AS "f.mor_navn",
	CASE WHEN f.mor_cpr IS NULL THEN f.mor_foedselsdato END AS "f.mor_foedselsdato", f.mor_dato AS "f.mor_dato",
	f.far_cpr AS "f.far_cpr", CASE WHEN f.far_cpr IS NULL THEN f.far_navn END AS "f.far_navn",
	CASE WHEN f.far_cpr IS NULL THEN f.far_foedselsdato END AS "f.far_foedselsdato", f.far_dato AS "f.far_dato",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_foedsels_dato_markering END AS "f.aegtefaelle_foedsels_dato_markering",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_navn_markering END AS "f.aegtefaelle_navn_markering",
	f.civilstand_start_dato_markering AS "f.civilstand_start_dato_markering",
	f.civilstand_seperations_henvisning AS "f.civilstand_seperations_henvisning",
	f.seperation_civilstand_henvisning AS "f.seperation_civilstand_henvisning",
	f.seperation_start_dato_markering AS "f.seperation_start_dato_markering",
	f.mor_dato_markering AS "f.mor_dato_markering", f.far_dato_markering AS "f.far_dato_markering",
	CASE WHEN f.mor_cpr IS NULL THEN f.mor_foedselsdato_markering END AS "f.mor_foedselsdato_markering",
	CASE WHEN f.mor_cpr IS NULL THEN f.mor_navn_markering END AS "f.mor_navn_markering",
	CASE WHEN f.far_cpr IS NULL THEN f.far_foedselsdato_markering END AS "f.far_foedselsdato_markering",
	CASE WHEN f.far_cpr IS NULL THEN f.far_navn_markering END AS "f.far_navn_markering",
	f.unreliable AS "f.unreliable",
	u.folkekirke_forhold AS "u.folkekirke_forhold", u.folkekirke_start_dato AS "u.folkekirke_start_dato",
	u.folkekirke_start_dato_markering AS "u.folkekirke_start_dato_markering",
	u.flyttepaabud_bemaerkninger AS "u.flyttepaabud_bemaerkninger", u.flyttepaabud_start_dato AS "u.flyttepaabud_start_dato",
	u.foedselsregistreringssted_kode AS "u.foedselsregistreringssted_kode", u.foedselsregistreringssted_tekst AS "u.foedselsregistreringssted_tekst",
	u.kommunaleforhold_bemaerkninger AS "u.kommunaleforhold_bemaerkninger", u.kommunaleforhold_kode AS "u.kommunaleforhold_kode",
	u.kommunaleforhold_start_dato AS "u.kommunaleforhold_start_dato", u.kommunaleforhold_start_dato_markering AS "u.kommunaleforhold_start_dato_markering",
	u.kommunaleforhold_type AS "u.kommunaleforhold_type", u.valg_kode AS "u.valg_kode",
	u.valg_oplysninger_slette_dato AS "u.valg_oplysninger_slette_dato", u.valg_oplysninger_start_dato AS "u.valg_oplysninger_start_dato",
	u.valgret_dato AS "u.valgret_dato", u.unreliable AS "u.unreliable",
	d.start_dato AS shared_residence_start, d.start_dato_markering AS shared_residence_start_mark,
	d.unreliable AS shared_residence_unreliable,
	m.email, m.mobil_telefon AS mobile_phone, m.mobil_udenlandsk AS foreign_mobile_phone`

// personFrom joins the tables of a Person row.
const personFrom = `
	FROM person p
	LEFT JOIN personkontakt k ON k.cpr = p.cpr
	LEFT JOIN personfamilie f ON f.cpr = p.cpr
	LEFT JOIN personudvidet u ON u.cpr = p.cpr
	LEFT JOIN deltbopael d ON d.cpr = p.cpr
	LEFT JOIN personkommunikation m ON m.cpr = p.cpr`

// selectNumbers selects into dest by CPR numbers: with byNumber ("= $1")
// for one number, whose generic plan PostgreSQL keeps, and with byNumbers
// ("= ANY($1)") otherwise.
func selectNumbers(ctx context.Context, q sqlx.ExtContext, dest any, byNumber, byNumbers string, cprs []string) error {
	if len(cprs) == 1 {
		return sqlx.SelectContext(ctx, q, dest, byNumber, cprs[0])
	}
	return sqlx.SelectContext(ctx, q, dest, byNumbers, pq.Array(cprs))
}

// RegisterStore reads the register's persons: master data (person.go),
// family and households (family.go), history and the register as of a day
// (history.go), search (search.go) and the facts of a cohabitation check
// (cohabitation.go).
type RegisterStore struct {
	q    sqlx.ExtContext
	view View // see At
}

// PersonsByCPR returns the persons with the given CPR numbers, keyed by CPR
// number; numbers not in the register are absent from the map. In a View
// (At) they are read as registered at its KnownAt and as of its AsOf
// (PersonsAsOf).
func (s *RegisterStore) PersonsByCPR(ctx context.Context, cprs []string) (map[string]Person, error) {
	if s.view.AsOf != nil {
		return s.PersonsAsOf(ctx, cprs, *s.view.AsOf)
	}
	const (
		byNumbers = personSelect + ` WHERE p.cpr = ANY($1)`
		// PostgreSQL plans ANY($1) anew on every run (its generic plan
		// assumes an array of several numbers, so a custom plan always
		// looks cheaper), while for one number it keeps the prepared
		// statement's generic plan: the common single lookup saves the
		// planning of the joins.
		byNumber = personSelect + ` WHERE p.cpr = $1`
	)
	var rows []Person
	if err := selectNumbers(ctx, s.q, &rows, byNumber, byNumbers, cprs); err != nil {
		return nil, err
	}
	out := make(map[string]Person, len(rows))
	for _, p := range rows {
		p.KnownAt = s.view.KnownAt
		out[p.CPR] = p
	}
	return out, nil
}

// StatusText is the Danish text of the person's status code.
func (p Person) StatusText() *string {
	return textOf(p.Status, func(s string) string { return cpr.Status(s).Text() })
}

// DeathDate is the status date of a dead person (status 90), else nil.
func (p Person) DeathDate() *time.Time {
	if p.Status != nil && cpr.Status(*p.Status) == cpr.StatusDead {
		return p.StatusDate
	}
	return nil
}

// Address returns the person's folkeregisteradresse, valid from the move-in
// date of personkontakt; nil when the person has no address at all. A person
// without a fixed address (abroad, say) has only a municipality code.
func (p Person) Address() *Address {
	a := Address{
		MunicipalityCode: p.MunicipalityCode, StreetCode: p.StreetCode, StreetName: p.StreetName,
		HouseNumber: p.HouseNumber, Floor: p.Floor, Door: p.Door, BuildingNumber: p.BuildingNumber,
		CoName: p.CoName, PostalCode: p.PostalCode, PostalDistrict: p.PostalDistrict, CityName: p.CityName,
		Locality: p.Locality, StandardAddress: p.StandardAddress, ValidFrom: p.Contact.MoveInDate,
		ValidFromMark: p.Contact.MoveInDateMark,
	}
	if a.empty() {
		return nil
	}
	return &a
}

// ContactRecordAddress returns the address as the person's personkontakt row
// holds it (its codes, start and deletion date and the registering
// municipality); nil when the row holds none.
func (p Person) ContactRecordAddress() *Address {
	c := p.Contact
	a := Address{
		MunicipalityCode: c.MunicipalityCode, StreetCode: c.StreetCode, HouseNumber: c.HouseNumber,
		Floor: c.Floor, Door: c.Door, BuildingNumber: c.BuildingNumber, CoName: c.CoName,
		ValidFrom: c.AddressStart, ValidTo: c.AddressDelete, StartAuthority: c.AddressAuthority,
	}
	if a.empty() && a.BuildingNumber == nil && a.CoName == nil && a.ValidFrom == nil && a.ValidTo == nil && a.StartAuthority == nil {
		return nil
	}
	return &a
}

// CivilStatus returns the person's civil status with the (former) spouse,
// or nil when none is registered.
func (p Person) CivilStatus() *CivilStatus {
	f := p.Family
	if f.CivilStatus == nil {
		return nil
	}
	return &CivilStatus{
		Code: *f.CivilStatus, ValidFrom: f.CivilStatusStart, ValidFromMark: f.CivilStatusStartMark, SpouseCPR: f.SpouseCPR,
		SpouseName: f.SpouseName, SpouseNameMark: f.SpouseNameMark, SpouseBirthDate: f.SpouseBirthDate,
		SpouseBirthDateMark: f.SpouseBirthDateMark, SeparatedSince: f.SeparationStart,
		SeparatedSinceMark: f.SeparationStartMark, SeparationReference: f.CivilStatusSeparation,
		SeparationCivilStatusReference: f.SeparationCivilStatus, Unreliable: f.Unreliable, View: p.View(),
	}
}

// CivilStatus is a civil status (civilstand): current in personfamilie or
// one period of historiskecivilstande.
type CivilStatus struct {
	CPR                 string     `db:"cpr"`
	RecordID            *string    `db:"id"`
	Code                string     `db:"civilstand"`
	ValidFrom           *time.Time `db:"start_dato"`
	ValidFromMark       *string    `db:"start_dato_markering"`
	ValidTo             *time.Time `db:"slut_dato"`
	ValidToMark         *string    `db:"slut_dato_markering"`
	SpouseCPR           *string    `db:"aegtefaelle_cpr"`
	SpouseName          *string    `db:"aegtefaelle_navn"`
	SpouseNameMark      *string    `db:"aegtefaelle_navn_markering"`
	SpouseBirthDate     *time.Time `db:"aegtefaelle_foedsels_dato"`
	SpouseBirthDateMark *string    `db:"aegtefaelle_foedsels_dato_markering"`
	// SeparationReference is the civil status's reference to its separation
	// (personfamilie civilstandSeperationsHenvisning, historiskecivilstande
	// seperationHenvisning).
	SeparationReference *time.Time `db:"seperation_henvisning"`
	Correction          *string    `db:"ret_fortryd_aendring"`
	Unreliable          *string    `db:"unreliable"`
	// SeparatedSince and its marker, and the separation's reference back to
	// the civil status (seperationCivilstandHenvisning): current only.
	SeparatedSince                 *time.Time `db:"-"`
	SeparatedSinceMark             *string    `db:"-"`
	SeparationCivilStatusReference *time.Time `db:"-"`
	// View is the view the civil status was read in; the spouse is read in
	// it too.
	View View `db:"-"`
}

// Text is the Danish text of the civil status code.
func (c CivilStatus) Text() string { return cpr.CivilStatus(c.Code).Text() }

// SpouseCPR returns the CPR number of a current spouse or registered
// partner: the personfamilie spouse while the civil status is married (G)
// or registered partnership (P); nil otherwise.
func (p Person) SpouseCPR() *string {
	if p.Family.CivilStatus == nil || p.Family.SpouseCPR == nil {
		return nil
	}
	switch cpr.CivilStatus(*p.Family.CivilStatus) {
	case cpr.CivilMarried, cpr.CivilRegisteredPartnership:
		return p.Family.SpouseCPR
	}
	return nil
}

// Citizenship is the current citizenship (statsborgerskab) of personkontakt.
func (p Person) Citizenship() *Citizenship {
	if p.Contact.CitizenshipCountry == nil {
		return nil
	}
	return &Citizenship{CountryCode: p.Contact.CitizenshipCountry, ValidFrom: p.Contact.CitizenshipStart, ValidFromMark: p.Contact.CitizenshipMark}
}

// Church is the current relation to the Church of Denmark of personudvidet.
func (p Person) Church() *ChurchRelation {
	if p.Extended.ChurchRelation == nil {
		return nil
	}
	return &ChurchRelation{Code: *p.Extended.ChurchRelation, ValidFrom: p.Extended.ChurchStart, ValidFromMark: p.Extended.ChurchStartMark}
}

// ProtectionKind is a kind of protection registered in personkontakt.
type ProtectionKind string

// The protection kinds.
const (
	ProtectionNameAddress ProtectionKind = "NAME_AND_ADDRESS" // navne- og adressebeskyttelse
	ProtectionDirectory   ProtectionKind = "DIRECTORY"        // vejviserbeskyttelse
	ProtectionMarketing   ProtectionKind = "MARKETING"        // markedsføringsbeskyttelse
	ProtectionResearch    ProtectionKind = "RESEARCH"         // forskerbeskyttelse
)

// Protection is one registered protection with its dates; Active tells
// whether it is in force today.
type Protection struct {
	Kind       ProtectionKind
	StartDate  *time.Time
	DeleteDate *time.Time
	Active     bool
}

// Protections returns the person's registered protections, each source on
// its own: personkontakt's name-and-address protection and person's name
// protection are both NAME_AND_ADDRESS, so an expired one never hides an
// active one.
func (p Person) Protections() []Protection {
	c := p.Contact
	var out []Protection
	for _, pr := range []struct {
		kind ProtectionKind
		DatedProtection
	}{
		{ProtectionNameAddress, c.NameAddressProt},
		{ProtectionNameAddress, p.NameProtection},
		{ProtectionDirectory, c.DirectoryProt},
		{ProtectionMarketing, c.MarketingProt},
		{ProtectionResearch, c.ResearchProt},
	} {
		if pr.Start == nil && pr.Delete == nil {
			continue
		}
		out = append(out, Protection{Kind: pr.kind, StartDate: pr.Start, DeleteDate: pr.Delete, Active: pr.Active})
	}
	return out
}

// ForwardingKind is the kind of address chosen as forwarding address.
type ForwardingKind string

// The forwarding address kinds, in CSR-P's order of priority.
const (
	ForwardingContact       ForwardingKind = "CONTACT"       // kontaktadresse
	ForwardingForeign       ForwardingKind = "FOREIGN"       // udlandsadresse
	ForwardingSupplementary ForwardingKind = "SUPPLEMENTARY" // supplerende adresse
	ForwardingFolkeregister ForwardingKind = "FOLKEREGISTER" // folkeregisteradresse
)

// ForwardingAddress is the address CSR-P chooses for letters
// (forsendelsesadresse): address lines, for a foreign address the country.
type ForwardingAddress struct {
	Kind          ForwardingKind
	Lines         []string
	CountryCode   *int
	ValidFrom     *time.Time
	ValidFromMark *string
	ValidTo       *time.Time
}

// ForwardingAddress chooses the forwarding address by CSR-P's priority:
// a contact address in force on day, else a foreign address, else a
// supplementary address, else the folkeregisteradresse. Nil when the person
// has none of them.
func (p Person) ForwardingAddress(day time.Time) *ForwardingAddress {
	c := p.Contact
	contactInForce := c.ContactStart == nil || cpr.InForce(c.ContactStart, c.ContactEnd, day)
	if lines := nonEmpty(c.ContactLine1, c.ContactLine2, c.ContactLine3, c.ContactLine4, c.ContactLine5); len(lines) > 0 && contactInForce {
		return &ForwardingAddress{Kind: ForwardingContact, Lines: lines, ValidFrom: c.ContactStart, ValidTo: c.ContactEnd}
	}
	if lines := nonEmpty(c.ForeignLine1, c.ForeignLine2, c.ForeignLine3, c.ForeignLine4, c.ForeignLine5); len(lines) > 0 {
		return &ForwardingAddress{Kind: ForwardingForeign, Lines: lines, CountryCode: c.ExitCountryCode, ValidFrom: c.ExitDate, ValidFromMark: c.ExitDateMark}
	}
	if lines := nonEmpty(c.SupplementaryLine1, c.SupplementaryLine2, c.SupplementaryLine3, c.SupplementaryLine4, c.SupplementaryLine5); len(lines) > 0 {
		return &ForwardingAddress{Kind: ForwardingSupplementary, Lines: lines}
	}
	if a := p.Address(); a != nil && a.StreetName != nil {
		return &ForwardingAddress{Kind: ForwardingFolkeregister, Lines: a.Lines(), ValidFrom: a.ValidFrom, ValidFromMark: a.ValidFromMark}
	}
	return nil
}

// Address is a Danish address as CPR holds it (folkeregisteradresse), with
// the period the person lived there where known.
type Address struct {
	MunicipalityCode *int       `db:"kommune_kode"`
	StreetCode       *int       `db:"vej_kode"`
	StreetName       *string    `db:"vejnavn"`
	HouseNumber      *string    `db:"husnummer"`
	Floor            *string    `db:"etage"`
	Door             *string    `db:"side_doer_nummer"`
	BuildingNumber   *string    `db:"bygningsnummer"`
	CoName           *string    `db:"co_navn"`
	PostalCode       *int       `db:"postnummer"`
	PostalDistrict   *string    `db:"postdistrikt"`
	CityName         *string    `db:"bynavn"`
	Locality         *string    `db:"lokalitet"`
	StandardAddress  *string    `db:"standard_adresse"`
	ValidFrom        *time.Time `db:"tilflytnings_dato"`
	ValidFromMark    *string    `db:"tilflytnings_dato_markering"`
	ValidTo          *time.Time `db:"fraflytnings_dato"`
	ValidToMark      *string    `db:"fraflytnings_dato_markering"`
	// StartAuthority is the municipality that registered the address
	// (personkontakt startMyndighedAdr).
	StartAuthority *int `db:"-"`
	// RecordID, Correction and Unreliable are those of a historiskeadresser
	// record; nil for the current address.
	RecordID   *string `db:"id"`
	Correction *string `db:"ret_fortryd_aendring"`
	Unreliable *string `db:"unreliable"`
}

// HouseNumberOnly is the number part of the house number
// (AdresseFraHusNummer): "12" of "12B"; nil when it has no digits.
func (a Address) HouseNumberOnly() *string {
	n, _ := splitHouseNumber(a.HouseNumber)
	return n
}

// HouseLetter is the letter part of the house number (AdresseFraHusBogstav):
// "B" of "12B"; nil when it has none.
func (a Address) HouseLetter() *string {
	_, l := splitHouseNumber(a.HouseNumber)
	return l
}

// splitHouseNumber splits a CPR house number ("12B", " 7", "3 A") into its
// number (leading zeros and blanks dropped) and its letter.
func splitHouseNumber(h *string) (number, letter *string) {
	if h == nil {
		return nil, nil
	}
	s := strings.TrimSpace(*h)
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(s)
	}
	if n := strings.TrimLeft(s[:i], "0"); n != "" {
		number = &n
	}
	if l := strings.TrimSpace(s[i:]); l != "" {
		letter = &l
	}
	return number, letter
}

// MunicipalityName is the name of the municipality (kommune).
func (a Address) MunicipalityName() *string {
	if a.MunicipalityCode == nil {
		return nil
	}
	if name, ok := cpr.Municipality(*a.MunicipalityCode); ok {
		return &name
	}
	return nil
}

// Lines returns the address as lines of a letter: c/o, street and number
// with floor and door, locality, postal code and district.
func (a Address) Lines() []string {
	var lines []string
	if a.CoName != nil && *a.CoName != "" {
		lines = append(lines, "c/o "+*a.CoName)
	}
	street := deref(a.StandardAddress)
	if street == "" {
		street = strings.TrimSpace(deref(a.StreetName) + " " + deref(a.HouseNumber))
		if floorDoor := strings.TrimSpace(deref(a.Floor) + " " + deref(a.Door)); floorDoor != "" {
			street += ", " + floorDoor
		}
	}
	lines = append(lines, street)
	if a.Locality != nil && *a.Locality != "" {
		lines = append(lines, *a.Locality)
	}
	if a.PostalCode != nil {
		lines = append(lines, strings.TrimSpace(strconv.Itoa(*a.PostalCode)+" "+deref(a.PostalDistrict)))
	}
	return lines
}

func (a Address) empty() bool {
	return a.MunicipalityCode == nil && a.StreetCode == nil && a.StreetName == nil && a.HouseNumber == nil &&
		a.PostalCode == nil && a.StandardAddress == nil
}

// key identifies the dwelling; ok is false for an address without street
// code and house number (no fixed address).
func (a Address) key() (k addressKey, ok bool) {
	if a.MunicipalityCode == nil || a.StreetCode == nil || a.HouseNumber == nil {
		return addressKey{}, false
	}
	return addressKey{*a.MunicipalityCode, *a.StreetCode, *a.HouseNumber, deref(a.Floor), deref(a.Door)}, true
}

// addressKey identifies a dwelling: municipality, street code, house
// number, floor and door ("" when absent).
type addressKey struct {
	Municipality, Street int
	House, Floor, Door   string
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonEmpty(ss ...*string) []string {
	var out []string
	for _, s := range ss {
		if s != nil && strings.TrimSpace(*s) != "" {
			out = append(out, *s)
		}
	}
	return out
}

func textOf(code *string, text func(string) string) *string {
	if code == nil {
		return nil
	}
	t := text(*code)
	if t == "" {
		return nil
	}
	return &t
}

// Empty reports whether the register holds no person.
func (s *RegisterStore) Empty(ctx context.Context) (bool, error) {
	var exists bool
	err := sqlx.GetContext(ctx, s.q, &exists, `SELECT EXISTS (SELECT 1 FROM person)`)
	return !exists, err
}

// Protected returns, for each of the numbers, whether its person is
// protected (Person.Protected); a number not in the register is not.
func (s *RegisterStore) Protected(ctx context.Context, numbers []string) (map[string]bool, error) {
	const query = `SELECT n AS cpr, name_address_protected(n::cpr_nummer) AS protected FROM unnest($1::text[]) AS n`
	var rows []struct {
		CPR       string `db:"cpr"`
		Protected bool   `db:"protected"`
	}
	if err := sqlx.SelectContext(ctx, s.q, &rows, query, pq.Array(numbers)); err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.CPR] = r.Protected
	}
	return out, nil
}

// VotingRights are a person's voting-rights facts (personudvidet valg*).
type VotingRights struct {
	Code            *int       // valgKode, 1-6
	VotingRightDate *time.Time // valgretDato
	StartDate       *time.Time // valgOplysningerStartDato
	DeleteDate      *time.Time // valgOplysningerSletteDato
}

// VotingRights returns the person's voting-rights facts, nil when none.
func (p Person) VotingRights() *VotingRights {
	u := p.Extended
	if u.VotingCode == nil && u.VotingRightDate == nil && u.VotingStartDate == nil && u.VotingDeleteDate == nil {
		return nil
	}
	return &VotingRights{Code: u.VotingCode, VotingRightDate: u.VotingRightDate, StartDate: u.VotingStartDate, DeleteDate: u.VotingDeleteDate}
}

// MunicipalCondition is a municipal condition (personudvidet kommunaleforhold).
type MunicipalCondition struct {
	Type          *int
	Code          *string
	StartDate     *time.Time
	StartDateMark *string
	Remarks       *string
}

// MunicipalCondition returns the person's municipal condition, nil when none.
func (p Person) MunicipalCondition() *MunicipalCondition {
	u := p.Extended
	if u.MunicipalType == nil && u.MunicipalCode == nil && u.MunicipalStart == nil && u.MunicipalRemarks == nil {
		return nil
	}
	return &MunicipalCondition{Type: u.MunicipalType, Code: u.MunicipalCode, StartDate: u.MunicipalStart,
		StartDateMark: u.MunicipalStartMark, Remarks: u.MunicipalRemarks}
}

// RelocationOrder is a relocation order (personudvidet flyttepåbud).
type RelocationOrder struct {
	StartDate *time.Time
	Remarks   *string
}

// RelocationOrder returns the person's relocation order, nil when none.
func (p Person) RelocationOrder() *RelocationOrder {
	u := p.Extended
	if u.RelocationStart == nil && u.RelocationRemarks == nil {
		return nil
	}
	return &RelocationOrder{StartDate: u.RelocationStart, Remarks: u.RelocationRemarks}
}

// BirthRegistrationPlace is where the birth was registered (personudvidet
// foedselsregistreringssted).
type BirthRegistrationPlace struct {
	Code *int
	Text *string
}

// BirthRegistrationPlace returns where the person's birth was registered,
// nil when not held.
func (p Person) BirthRegistrationPlace() *BirthRegistrationPlace {
	u := p.Extended
	if u.BirthPlaceCode == nil && u.BirthPlaceText == nil {
		return nil
	}
	return &BirthRegistrationPlace{Code: u.BirthPlaceCode, Text: u.BirthPlaceText}
}

// ContactForwarding, ForeignForwarding and SupplementaryForwarding return
// each alternative address of personkontakt on its own, whether or not it
// is the chosen forwarding address; nil when it has no lines.
func (p Person) ContactForwarding() *ForwardingAddress {
	c := p.Contact
	if lines := nonEmpty(c.ContactLine1, c.ContactLine2, c.ContactLine3, c.ContactLine4, c.ContactLine5); len(lines) > 0 {
		return &ForwardingAddress{Kind: ForwardingContact, Lines: lines, ValidFrom: c.ContactStart, ValidTo: c.ContactEnd}
	}
	return nil
}

// ForeignForwarding: see ContactForwarding.
func (p Person) ForeignForwarding() *ForwardingAddress {
	c := p.Contact
	if lines := nonEmpty(c.ForeignLine1, c.ForeignLine2, c.ForeignLine3, c.ForeignLine4, c.ForeignLine5); len(lines) > 0 {
		return &ForwardingAddress{Kind: ForwardingForeign, Lines: lines, CountryCode: c.ExitCountryCode, ValidFrom: c.ExitDate, ValidFromMark: c.ExitDateMark}
	}
	return nil
}

// SupplementaryForwarding: see ContactForwarding.
func (p Person) SupplementaryForwarding() *ForwardingAddress {
	c := p.Contact
	if lines := nonEmpty(c.SupplementaryLine1, c.SupplementaryLine2, c.SupplementaryLine3, c.SupplementaryLine4, c.SupplementaryLine5); len(lines) > 0 {
		return &ForwardingAddress{Kind: ForwardingSupplementary, Lines: lines}
	}
	return nil
}

// The personkontakt, personfamilie and personudvidet facts Person shows
// flat: unreliable flags, disappearance and municipality moves.

// ContactUnreliable is personkontakt's unreliable field.
func (p Person) ContactUnreliable() *string { return p.Contact.Unreliable }

// FamilyUnreliable is personfamilie's unreliable field.
func (p Person) FamilyUnreliable() *string { return p.Family.Unreliable }

// ExtendedUnreliable is personudvidet's unreliable field.
func (p Person) ExtendedUnreliable() *string { return p.Extended.Unreliable }

// DisappearedOn is personkontakt's forsvindingsDato.
func (p Person) DisappearedOn() *time.Time { return p.Contact.DisappearedOn }

// DisappearedOnUncertainty is the marker of DisappearedOn.
func (p Person) DisappearedOnUncertainty() *string { return p.Contact.DisappearedOnMark }

// MunicipalityMoveOutDate is personkontakt's fraflytningKommuneDato.
func (p Person) MunicipalityMoveOutDate() *time.Time { return p.Contact.MunicipalityOut }

// MunicipalityMoveOutDateUncertainty is the marker of MunicipalityMoveOutDate.
func (p Person) MunicipalityMoveOutDateUncertainty() *string { return p.Contact.MunicipalityOutM }

// PreviousMunicipalityCode is personkontakt's fraflytningKommuneKode.
func (p Person) PreviousMunicipalityCode() *int { return p.Contact.PreviousMunicipal }

// MunicipalityMoveInDate is personkontakt's tilflytningKommuneDato.
func (p Person) MunicipalityMoveInDate() *time.Time { return p.Contact.MunicipalityIn }

// MunicipalityMoveInDateUncertainty is the marker of MunicipalityMoveInDate.
func (p Person) MunicipalityMoveInDateUncertainty() *string { return p.Contact.MunicipalityInM }

package db

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Person is the person datatype of seed 004: the person's current master
// data (stamdata) and folkeregisteradresse.
type Person struct {
	CPR                 string     `db:"cpr"`
	AddressingName      *string    `db:"adresserings_navn"`
	BuildingNumber      *string    `db:"bygningsnummer"`
	CityName            *string    `db:"bynavn"`
	CoName              *string    `db:"co_navn"`
	LastName            *string    `db:"efternavn"`
	LastNameMark        *string    `db:"efternavn_markering"`
	Floor               *string    `db:"etage"`
	BirthDate           *time.Time `db:"foedselsdato"`
	BirthDateMark       *string    `db:"foedselsdato_markering"`
	FirstName           *string    `db:"fornavn"`
	FirstNameMark       *string    `db:"fornavn_markering"`
	CurrentCPR          *string    `db:"gaeldende_cpr"`
	HouseNumber         *string    `db:"husnummer"`
	Sex                 *string    `db:"koen"`
	MunicipalityCode    *int       `db:"kommune_kode"`
	Locality            *string    `db:"lokalitet"`
	MiddleName          *string    `db:"mellemnavn"`
	MiddleNameMark      *string    `db:"mellemnavn_markering"`
	NameProtectionEnd   *time.Time `db:"navnebeskyttelseslettedato"`
	NameProtectionStart *time.Time `db:"navnebeskyttelsestartdato"`
	NameStartDate       *time.Time `db:"navn_start_dato"`
	NameStartDateMark   *string    `db:"navn_start_dato_markering"`
	PostalDistrict      *string    `db:"postdistrikt"`
	PostalCode          *int       `db:"postnummer"`
	Door                *string    `db:"side_doer_nummer"`
	EndDate             *time.Time `db:"slut_dato"`
	EndDateMark         *string    `db:"slut_dato_markering"`
	StandardAddress     *string    `db:"standard_adresse"`
	StartDate           *time.Time `db:"start_dato"`
	StartDateMark       *string    `db:"start_dato_markering"`
	Status              *string    `db:"status"`
	StatusDate          *time.Time `db:"status_dato"`
	StatusDateMark      *string    `db:"status_markering"`
	Occupation          *string    `db:"stilling"`
	Unreliable          *string    `db:"unreliable"`
	StreetCode          *int       `db:"vej_kode"`
	StreetName          *string    `db:"vejnavn"`

	// ProtectionStart and ProtectionEnd are the name-and-address protection
	// (navne- og adressebeskyttelse) of personkontakt, falling back to the
	// name protection dates of person.
	ProtectionStart *time.Time `db:"protection_start"`
	ProtectionEnd   *time.Time `db:"protection_end"`
}

// SubjectCPR returns the person's CPR number.
func (p Person) SubjectCPR() string { return p.CPR }

// NameAddressProtection returns the protection's start and delete date.
func (p Person) NameAddressProtection() (start, deleteDate *time.Time) {
	return p.ProtectionStart, p.ProtectionEnd
}

// personSelect selects Person rows: person p joined with its personkontakt k
// for the protection dates. Callers add WHERE and ORDER BY on p.
const personSelect = `SELECT p.cpr, p.adresserings_navn, p.bygningsnummer, p.bynavn, p.co_navn, p.efternavn,
	p.efternavn_markering, p.etage, p.foedselsdato, p.foedselsdato_markering, p.fornavn, p.fornavn_markering,
	p.gaeldende_cpr, p.husnummer, p.koen, p.kommune_kode, p.lokalitet, p.mellemnavn, p.mellemnavn_markering,
	p.navnebeskyttelseslettedato, p.navnebeskyttelsestartdato, p.navn_start_dato, p.navn_start_dato_markering,
	p.postdistrikt, p.postnummer, p.side_doer_nummer, p.slut_dato, p.slut_dato_markering, p.standard_adresse,
	p.start_dato, p.start_dato_markering, p.status, p.status_dato, p.status_markering, p.stilling,
	p.unreliable, p.vej_kode, p.vejnavn,
	COALESCE(k.navne_adressebeskyttelse_start_dato, p.navnebeskyttelsestartdato::date) AS protection_start,
	CASE WHEN k.navne_adressebeskyttelse_start_dato IS NOT NULL THEN k.navne_adressebeskyttelse_slette_dato
	     ELSE p.navnebeskyttelseslettedato::date END AS protection_end
	FROM person p LEFT JOIN personkontakt k ON k.cpr = p.cpr`

// PersonsByCPR returns the persons with the given CPR numbers, keyed by CPR
// number; numbers not in the register are absent from the map.
func (s *Store) PersonsByCPR(ctx context.Context, cprs []string) (map[string]Person, error) {
	const query = personSelect + ` WHERE p.cpr = ANY($1)`
	var rows []Person
	if err := sqlx.SelectContext(ctx, s.q, &rows, query, pq.Array(cprs)); err != nil {
		return nil, err
	}
	out := make(map[string]Person, len(rows))
	for _, p := range rows {
		out[p.CPR] = p
	}
	return out, nil
}

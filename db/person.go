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
}

// PersonColumns lists the columns of person in the order of Person's fields.
const PersonColumns = `cpr, adresserings_navn, bygningsnummer, bynavn, co_navn, efternavn, efternavn_markering,
	etage, foedselsdato, foedselsdato_markering, fornavn, fornavn_markering, gaeldende_cpr, husnummer,
	koen, kommune_kode, lokalitet, mellemnavn, mellemnavn_markering, navnebeskyttelseslettedato,
	navnebeskyttelsestartdato, navn_start_dato, navn_start_dato_markering, postdistrikt, postnummer,
	side_doer_nummer, slut_dato, slut_dato_markering, standard_adresse, start_dato, start_dato_markering,
	status, status_dato, status_markering, stilling, unreliable, vej_kode, vejnavn`

// PersonsByCPR returns the persons with the given CPR numbers, keyed by CPR
// number; numbers not in the register are absent from the map.
func PersonsByCPR(ctx context.Context, q sqlx.QueryerContext, cprs []string) (map[string]Person, error) {
	const query = `SELECT ` + PersonColumns + ` FROM person WHERE cpr = ANY($1)`
	var rows []Person
	if err := sqlx.SelectContext(ctx, q, &rows, query, pq.Array(cprs)); err != nil {
		return nil, err
	}
	out := make(map[string]Person, len(rows))
	for _, p := range rows {
		out[p.CPR] = p
	}
	return out, nil
}

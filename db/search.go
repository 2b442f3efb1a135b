package db

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"cprgraph/apperr"
	"cprgraph/cpr"
)

// PersonSearch holds the criteria of PersonSøg: a postal code, at least 3
// characters of the name (matched anywhere in the full name), at least 3
// characters of the street name (matched as its beginning) and a house
// number and/or house letter. The other criteria, when given, must match
// exactly (text ignoring case).
type PersonSearch struct {
	PostalCode       int
	Name             string
	StreetName       string
	HouseNumber      string // digits, e.g. "12"
	HouseLetter      string // one letter, e.g. "B"
	BirthDate        *time.Time
	Sex              *string // M or K
	MunicipalityCode *int
	Floor            *string
	Door             *string
	PostalDistrict   *string
	CityName         *string

	// ExcludeProtected leaves out every person with a name-and-address
	// protection in force (Person.Protected).
	ExcludeProtected bool
}

// MinSearchChars is the least number of characters of name and street name
// a search needs.
const MinSearchChars = 3

var (
	houseNumberRe = regexp.MustCompile(`^0*[1-9][0-9]{0,2}$`)
	houseLetterRe = regexp.MustCompile(`^[A-Za-zÆØÅæøå]$`)
)

// Validate returns BAD_USER_INPUT naming the first criterion that is
// missing or malformed.
func (f PersonSearch) Validate() error {
	bad := func(format string, args ...any) error { return apperr.Errorf(apperr.BadUserInput, format, args...) }
	switch {
	case f.PostalCode < 1 || f.PostalCode > 9999:
		return bad("postalCode must be a postal code 1-9999")
	case utf8.RuneCountInString(strings.TrimSpace(f.Name)) < MinSearchChars:
		return bad("name must have at least %d characters", MinSearchChars)
	case utf8.RuneCountInString(strings.TrimSpace(f.StreetName)) < MinSearchChars:
		return bad("streetName must have at least %d characters", MinSearchChars)
	case f.HouseNumber == "" && f.HouseLetter == "":
		return bad("houseNumber or houseLetter (or both) is required")
	case f.HouseNumber != "" && !houseNumberRe.MatchString(f.HouseNumber):
		return bad("houseNumber must be a number 1-999")
	case f.HouseLetter != "" && !houseLetterRe.MatchString(f.HouseLetter):
		return bad("houseLetter must be one letter")
	case f.Sex != nil && !cpr.Sex(*f.Sex).Valid():
		return bad("sex must be M or K")
	case f.MunicipalityCode != nil && !knownMunicipality(*f.MunicipalityCode):
		return bad("municipalityCode %d is not a municipality code", *f.MunicipalityCode)
	}
	return nil
}

// args returns the search's SQL parameters $1-$12 of searchWhere.
func (f PersonSearch) args() []any {
	number, letter := "[0-9]+", "[A-ZÆØÅ]?"
	if f.HouseNumber != "" {
		number = strings.TrimLeft(f.HouseNumber, "0")
	}
	if f.HouseLetter != "" {
		letter = strings.ToUpper(f.HouseLetter)
	}
	return []any{
		f.PostalCode,
		likeEscape(strings.ToLower(strings.TrimSpace(f.StreetName))) + "%",
		`^\s*0*` + number + `\s*` + letter + `$`,
		"%" + likeEscape(strings.ToLower(strings.Join(strings.Fields(f.Name), " "))) + "%",
		f.BirthDate, f.Sex, f.MunicipalityCode, f.Floor, f.Door, f.PostalDistrict, f.CityName,
		f.ExcludeProtected,
	}
}

// searchWhere is the WHERE clause of PersonSøg over person p, parameters
// as PersonSearch.args.
const searchWhere = ` WHERE p.postnummer = $1
	AND lower(p.vejnavn) LIKE $2
	AND upper(p.husnummer) ~ $3
	AND lower(concat_ws(' ', p.fornavn, p.mellemnavn, p.efternavn)) LIKE $4
	AND ($5::date IS NULL OR p.foedselsdato = $5)
	AND ($6::text IS NULL OR p.koen = $6)
	AND ($7::int IS NULL OR p.kommune_kode = $7)
	AND ($8::text IS NULL OR lower(p.etage) = lower($8))
	AND ($9::text IS NULL OR lower(p.side_doer_nummer) = lower($9))
	AND ($10::text IS NULL OR lower(p.postdistrikt) = lower($10))
	AND ($11::text IS NULL OR lower(p.bynavn) = lower($11))
	AND NOT ($12 AND ` + protectedColumn + `)`

// Page is one page of a list in a fixed order: at most Limit rows, after
// the first Offset.
type Page struct {
	Limit  int
	Offset int64
}

// SearchPersons returns the first limit persons matching f in CPR-number
// order; there is no paging past them (PersonSøg answers a few persons and
// asks for a narrower search when more match). Call Validate first.
func (s *RegisterStore) SearchPersons(ctx context.Context, f PersonSearch, limit int) ([]Person, error) {
	const query = personSelect + searchWhere + ` ORDER BY p.cpr LIMIT $13`
	var rows []Person
	err := sqlx.SelectContext(ctx, s.q, &rows, query, append(f.args(), limit)...)
	return rows, err
}

// BirthDateCircle holds the criteria of PersonkredsSøg: persons born from
// From to To (inclusive, at most MaxBirthDateDays days), optionally only
// those registered in one municipality. Dead, emigrated and protected
// persons are included, except as ExcludeProtected says.
type BirthDateCircle struct {
	From, To         time.Time
	MunicipalityCode *int
	// ExcludeProtected leaves out every person with a name-and-address
	// protection in force (Person.Protected): for a caller who must not see
	// it, a hit in a municipality would give part of the address away.
	ExcludeProtected bool
}

// MaxBirthDateDays is the longest birth-date interval, counting both ends.
const MaxBirthDateDays = 100

// Validate returns BAD_USER_INPUT for a reversed or too long interval or an
// unknown municipality code.
func (c BirthDateCircle) Validate() error {
	days := int(c.To.Sub(c.From).Hours()/24) + 1
	switch {
	case c.To.Before(c.From):
		return apperr.Errorf(apperr.BadUserInput, "to must not be before from")
	case days > MaxBirthDateDays:
		return apperr.Errorf(apperr.BadUserInput, "the birth-date interval may span at most %d days, got %d", MaxBirthDateDays, days)
	case c.MunicipalityCode != nil && !knownMunicipality(*c.MunicipalityCode):
		return apperr.Errorf(apperr.BadUserInput, "municipalityCode %d is not a municipality code", *c.MunicipalityCode)
	}
	return nil
}

// birthDateWhere is the WHERE clause of PersonkredsSøg over person p.
const birthDateWhere = ` WHERE p.foedselsdato BETWEEN $1 AND $2 AND ($3::int IS NULL OR p.kommune_kode = $3)
	AND NOT ($4 AND ` + protectedColumn + `)`

// PersonsByBirthDate returns the page of the persons of the circle in
// (birth date, CPR number) order. Call Validate first.
func (s *RegisterStore) PersonsByBirthDate(ctx context.Context, c BirthDateCircle, page Page) ([]Person, error) {
	const query = personSelect + birthDateWhere + ` ORDER BY p.foedselsdato, p.cpr LIMIT $5 OFFSET $6`
	var rows []Person
	err := sqlx.SelectContext(ctx, s.q, &rows, query, c.From, c.To, c.MunicipalityCode, c.ExcludeProtected,
		page.Limit, page.Offset)
	return rows, err
}

// CountPersonsByBirthDate returns how many persons the circle holds.
func (s *RegisterStore) CountPersonsByBirthDate(ctx context.Context, c BirthDateCircle) (int, error) {
	const query = `SELECT count(*) FROM person p` + birthDateWhere
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, query, c.From, c.To, c.MunicipalityCode, c.ExcludeProtected)
	return n, err
}

func knownMunicipality(code int) bool {
	_, ok := cpr.Municipality(code)
	return ok
}

// likeEscape escapes the LIKE wildcards of s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

package db

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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
//
// In a View the search runs over the register as registered at its KnownAt
// and, with AsOf, matches the persons as they were on that day
// (searchAsOf).
func (s *RegisterStore) SearchPersons(ctx context.Context, f PersonSearch, limit int) ([]Person, error) {
	if s.view.AsOf != nil {
		return s.searchAsOf(ctx, f, limit)
	}
	const query = personSelect + searchWhere + ` ORDER BY p.cpr LIMIT $13`
	var rows []Person
	err := sqlx.SelectContext(ctx, s.q, &rows, query, append(f.args(), limit)...)
	return s.stamped(rows), err
}

// stamped sets the registration time the persons were read as known at.
func (s *RegisterStore) stamped(rows []Person) []Person {
	for i := range rows {
		rows[i].KnownAt = s.view.KnownAt
	}
	return rows
}

// searchAsOf is SearchPersons as of the validity date of the view: the
// candidates are the persons whose current or a former address (not
// annulled) is at the postal code, street and house number searched for, in
// CPR-number order, a page at a time; each is read as of the day
// (PersonsAsOf) and kept when it matches f then (PersonSearch.matcher).
func (s *RegisterStore) searchAsOf(ctx context.Context, f PersonSearch, limit int) ([]Person, error) {
	const (
		pageSize   = 200
		candidates = `SELECT c.cpr FROM (
			SELECT p.cpr FROM person p WHERE p.postnummer = $1 AND lower(p.vejnavn) LIKE $2 AND upper(p.husnummer) ~ $3
			UNION
			SELECT h.cpr FROM historiskeadresser h
			JOIN (SELECT a.kommune_kode, a.vej_kode FROM dar_adresse a WHERE a.postnummer = $1 AND lower(a.vejnavn) LIKE $2
				UNION
				SELECT r.kommune_kode, r.vej_kode FROM person r WHERE r.postnummer = $1 AND lower(r.vejnavn) LIKE $2) v
			  ON v.kommune_kode = h.kommune_kode AND v.vej_kode = h.vej_kode
			WHERE upper(h.husnummer) ~ $3 AND h.ret_fortryd_aendring IS DISTINCT FROM 'A') c
			ORDER BY c.cpr LIMIT $4 OFFSET $5`
	)
	args, matches := f.args(), f.matcher()
	var out []Person
	for offset := 0; ; offset += pageSize {
		var numbers []string
		if err := sqlx.SelectContext(ctx, s.q, &numbers, candidates, args[0], args[1], args[2], pageSize, offset); err != nil {
			return nil, err
		}
		persons, err := s.PersonsByCPR(ctx, numbers)
		if err != nil {
			return nil, err
		}
		for _, c := range numbers {
			if p, ok := persons[c]; ok && matches(p) {
				out = append(out, p)
				if len(out) == limit {
					return out, nil
				}
			}
		}
		if len(numbers) < pageSize {
			return out, nil
		}
	}
}

// matcher returns whether a person meets the criteria as searchWhere
// decides them in SQL; searchAsOf applies it to persons read as of a day.
func (f PersonSearch) matcher() func(Person) bool {
	args := f.args()
	house := regexp.MustCompile(args[2].(string))
	street := strings.ToLower(strings.TrimSpace(f.StreetName))
	name := strings.ToLower(strings.Join(strings.Fields(f.Name), " "))
	eqFold := func(want, got *string) bool { return want == nil || (got != nil && strings.EqualFold(*want, *got)) }
	return func(p Person) bool {
		switch {
		case p.PostalCode == nil || *p.PostalCode != f.PostalCode,
			!strings.HasPrefix(strings.ToLower(deref(p.StreetName)), street),
			p.HouseNumber == nil || !house.MatchString(strings.ToUpper(*p.HouseNumber)),
			!strings.Contains(strings.ToLower(strings.Join(nonEmpty(p.FirstName, p.MiddleName, p.LastName), " ")), name),
			f.BirthDate != nil && (p.BirthDate == nil || !p.BirthDate.Equal(*f.BirthDate)),
			f.Sex != nil && (p.Sex == nil || *p.Sex != *f.Sex),
			f.MunicipalityCode != nil && (p.MunicipalityCode == nil || *p.MunicipalityCode != *f.MunicipalityCode),
			!eqFold(f.Floor, p.Floor), !eqFold(f.Door, p.Door), !eqFold(f.PostalDistrict, p.PostalDistrict),
			!eqFold(f.CityName, p.CityName),
			f.ExcludeProtected && p.Protected:
			return false
		}
		return true
	}
}

// BirthDateCircle holds the criteria of PersonkredsSøg: persons born on
// one of the days of Ranges (each from From to To inclusive, at most
// MaxBirthDateDays days; the seed's PersonkredsValgListe), optionally only
// those registered in one municipality. Dead, emigrated and protected
// persons are included, except as ExcludeProtected says.
type BirthDateCircle struct {
	Ranges           []DateRange
	MunicipalityCode *int
	// ExcludeProtected leaves out every person with a name-and-address
	// protection in force (Person.Protected): for a caller who must not see
	// it, a hit in a municipality would give part of the address away.
	ExcludeProtected bool
}

// DateRange is one criterion of a birth-date circle: a day (To equal to
// From) or the days from From to To, inclusive.
type DateRange struct {
	From, To time.Time
}

// MaxBirthDateDays is the longest birth-date interval, counting both ends.
const MaxBirthDateDays = 100

// MaxBirthDateCriteria is the most criteria (dates or intervals) one
// birth-date circle takes.
const MaxBirthDateCriteria = 100

// Validate returns BAD_USER_INPUT for no criteria or more than
// MaxBirthDateCriteria, a reversed or too long interval, or an unknown
// municipality code.
func (c BirthDateCircle) Validate() error {
	if len(c.Ranges) == 0 || len(c.Ranges) > MaxBirthDateCriteria {
		return apperr.Errorf(apperr.BadUserInput, "give 1 to %d birth-date criteria, got %d", MaxBirthDateCriteria, len(c.Ranges))
	}
	for i, r := range c.Ranges {
		which := ""
		if len(c.Ranges) > 1 {
			which = fmt.Sprintf(" (criterion %d)", i+1)
		}
		days := int(r.To.Sub(r.From).Hours()/24) + 1
		switch {
		case r.To.Before(r.From):
			return apperr.Errorf(apperr.BadUserInput, "to must not be before from%s", which)
		case days > MaxBirthDateDays:
			return apperr.Errorf(apperr.BadUserInput, "the birth-date interval may span at most %d days, got %d%s", MaxBirthDateDays, days, which)
		}
	}
	if c.MunicipalityCode != nil && !knownMunicipality(*c.MunicipalityCode) {
		return apperr.Errorf(apperr.BadUserInput, "municipalityCode %d is not a municipality code", *c.MunicipalityCode)
	}
	return nil
}

// days returns the distinct days of the circle's ranges (ISO dates), the
// parameter $1 of birthDateWhere. Call Validate first.
func (c BirthDateCircle) days() pq.StringArray {
	seen := map[time.Time]bool{}
	var out pq.StringArray
	for _, r := range c.Ranges {
		for d := r.From; !d.After(r.To); d = d.AddDate(0, 0, 1) {
			if !seen[d] {
				seen[d] = true
				out = append(out, d.Format(time.DateOnly))
			}
		}
	}
	return out
}

// birthDateWhere is the WHERE clause of PersonkredsSøg over person p.
const birthDateWhere = ` WHERE p.foedselsdato = ANY($1::date[]) AND ($2::int IS NULL OR p.kommune_kode = $2)
	AND NOT ($3 AND ` + protectedColumn + `)`

// PersonsByBirthDate returns the page of the persons of the circle in
// (birth date, CPR number) order. Call Validate first. In a View the
// persons are read in it; with AsOf and a municipality, the municipality
// is the one they were registered in on that day (circleAsOf).
func (s *RegisterStore) PersonsByBirthDate(ctx context.Context, c BirthDateCircle, page Page) ([]Person, error) {
	if s.view.AsOf != nil && c.MunicipalityCode != nil {
		all, err := s.circleAsOf(ctx, c)
		from := min(int(page.Offset), len(all))
		return all[from:min(from+page.Limit, len(all))], err
	}
	const query = personSelect + birthDateWhere + ` ORDER BY p.foedselsdato, p.cpr LIMIT $4 OFFSET $5`
	var rows []Person
	if err := sqlx.SelectContext(ctx, s.q, &rows, query, c.days(), c.MunicipalityCode, c.ExcludeProtected,
		page.Limit, page.Offset); err != nil {
		return nil, err
	}
	if s.view.AsOf != nil {
		return s.asOf(ctx, rows)
	}
	return s.stamped(rows), nil
}

// asOf reads the persons of rows again as of the view's AsOf, in order.
func (s *RegisterStore) asOf(ctx context.Context, rows []Person) ([]Person, error) {
	numbers := make([]string, len(rows))
	for i, p := range rows {
		numbers[i] = p.CPR
	}
	persons, err := s.PersonsByCPR(ctx, numbers)
	if err != nil {
		return nil, err
	}
	for i, p := range rows {
		rows[i] = persons[p.CPR]
	}
	return rows, nil
}

// circleAsOf returns every person of the circle as of the view's AsOf, in
// (birth date, CPR number) order: the candidates are those born on its days
// registered in the municipality now or by a former address record (not
// annulled); each is read as of the day and kept when registered in the
// municipality then.
func (s *RegisterStore) circleAsOf(ctx context.Context, c BirthDateCircle) ([]Person, error) {
	const candidates = `SELECT p.cpr FROM person p
		WHERE p.foedselsdato = ANY($1::date[]) AND (p.kommune_kode = $2 OR EXISTS (
			SELECT 1 FROM historiskeadresser h
			WHERE h.cpr = p.cpr AND h.kommune_kode = $2 AND h.ret_fortryd_aendring IS DISTINCT FROM 'A'))
		ORDER BY p.foedselsdato, p.cpr`
	var numbers []string
	if err := sqlx.SelectContext(ctx, s.q, &numbers, candidates, c.days(), *c.MunicipalityCode); err != nil {
		return nil, err
	}
	persons, err := s.PersonsByCPR(ctx, numbers)
	if err != nil {
		return nil, err
	}
	var out []Person
	for _, n := range numbers {
		p, ok := persons[n]
		if ok && p.MunicipalityCode != nil && *p.MunicipalityCode == *c.MunicipalityCode && !(c.ExcludeProtected && p.Protected) {
			out = append(out, p)
		}
	}
	return out, nil
}

// CountPersonsByBirthDate returns how many persons the circle holds.
func (s *RegisterStore) CountPersonsByBirthDate(ctx context.Context, c BirthDateCircle) (int, error) {
	if s.view.AsOf != nil && c.MunicipalityCode != nil {
		all, err := s.circleAsOf(ctx, c)
		return len(all), err
	}
	const query = `SELECT count(*) FROM person p` + birthDateWhere
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, query, c.days(), c.MunicipalityCode, c.ExcludeProtected)
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

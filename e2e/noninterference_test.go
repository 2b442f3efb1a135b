package e2e

// The non-interference test of DESIGN.md's "Who sees what": a caller who may
// not see a protected person gets the same answer whatever that person's
// secret facts are. Two worlds (two databases, one fixture function) differ
// only in the secret facts of two protected persons P1 and P2 whose visible
// profile is the same; every root query field of the live schema is called
// with arguments drawn from pools, as every profile but AUTHORITY, in both
// worlds, and the two answers must be equal byte for byte once the values
// that belong to the request rather than to the register are normalised.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/cpr"
)

const (
	// niDepth and niMaxVisits bound the selection of every field path
	// below a root field, as in the leak test.
	niDepth, niMaxVisits = 5, 2
	// niCallsPerField caps the argument lists a root field is called with.
	niCallsPerField = 40
	// niDiffsPerField caps the diffs printed per root field.
	niDiffsPerField = 4
)

// niStay is a stay at an address, in days relative to today (out 0: still
// there).
type niStay struct {
	kommune, vej       int
	house, floor, door string
	in, out            int
}

// niName is a former name, in days relative to today.
type niName struct {
	first, middle, last string
	from, to            int
}

// niSecret is what the two worlds swap between P1 and P2: the names, the
// dwelling in the shared stairwell (and so who they live with), the former
// addresses with the dates of those moves, and the former names.
type niSecret struct {
	first, middle, last, addressing string
	floor, door                     string
	moves                           []niStay
	names                           []niName
}

// The stairwell P1 and P2 live in (Lindevej 5, municipality 101), the other
// streets of the fixture, and the dates both protected persons share.
const (
	niKommune, niLindevej, niBirkevej, niAskevej, niEgevej = 101, 2200, 2300, 2400, 2500
	niPostal, niDistrict                                   = 2100, "København Ø"
	niMoveIn                                               = -90 // P1's and P2's current move-in
	niProtectedFrom, niProtectedTo                         = -200, 400
	niAcquired                                             = -700 // the owner bought Lindevej 5
	niOwner, niUnlinkedOwner                               = "31313131", "42424242"
	niHouseID                                              = "00000000-0000-4000-9000-000000000500"
)

// niSecrets are the two sets of secret facts. Secret 0 lives in 1. tv with
// V1 (P1's spouse) and once lived at Birkevej 3 1. th while V2 did; secret 1
// lives in 1. th with V2 and K (P2's child), and before lived with V3 for
// more than five years, at Egevej 8 and, after a move made together, in
// 2. tv of the same stairwell.
var niSecrets = [2]niSecret{
	{
		first: "Solvej", middle: "Maren", last: "Hemmingsen", addressing: "Hemmingsen,Solvej M",
		floor: "1", door: "tv",
		moves: []niStay{{niKommune, niBirkevej, "3", "1", "th", -1000, niMoveIn}},
		names: []niName{{"Solvej", "Maren", "Andersen", -9000, -1000}},
	},
	{
		first: "Rigmor", middle: "Ea", last: "Tavsdal", addressing: "Tavsdal,Rigmor E",
		floor: "1", door: "th",
		moves: []niStay{
			{niKommune, niLindevej, "5", "2", "tv", -400, niMoveIn},
			{niKommune, niEgevej, "8", "st", "", -2600, -400},
		},
		names: []niName{{"Rigmor", "", "Bech", -9000, -2600}},
	},
}

// niVisible is a person without protection, the same in both worlds.
type niVisible struct {
	cpr, first, last, sex string
	born                  time.Time
	home                  niStay // the current address (out 0)
	moves                 []niStay
}

// niFixture is what both worlds share: the CPR numbers and the landlord's
// DAR addresses.
type niFixture struct {
	today                            time.Time
	birthP                           time.Time // P1's and P2's birth date
	p1, p2, v1, v2, v3, v4, k        string
	unknown, malformed               string
	visible                          []niVisible
	dwellings                        []niDwelling
	eventFrom, eventTo, eventBetween string // registration instants around the events
}

// niDwelling is a dwelling of the stairwell with its DAR address.
type niDwelling struct{ floor, door, dar string }

func (fx *niFixture) day(n int) time.Time { return fx.today.AddDate(0, 0, n) }
func (fx *niFixture) iso(n int) string    { return iso(fx.day(n)) }

// newNIFixture picks the CPR numbers: P1 and P2 are women born the same day,
// so their numbers tell nothing apart.
func newNIFixture(t *testing.T) *niFixture {
	t.Helper()
	num := func(y int, m time.Month, d, serial int, sex cpr.Sex) string {
		n, err := cpr.New(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), serial, sex)
		if err != nil {
			t.Fatal(err)
		}
		return n.String()
	}
	fx := &niFixture{today: access.Today(), birthP: time.Date(1988, 4, 12, 0, 0, 0, 0, time.UTC)}
	fx.p1 = num(1988, 4, 12, 7, cpr.Female)
	fx.p2 = num(1988, 4, 12, 12, cpr.Female)
	fx.v1 = num(1986, 9, 30, 3, cpr.Male)
	fx.v2 = num(1984, 1, 15, 21, cpr.Male)
	fx.v3 = num(1979, 11, 20, 8, cpr.Female)
	fx.v4 = num(1988, 4, 12, 30, cpr.Male) // born the same day, lives elsewhere
	fx.k = num(2016, 6, 1, 4, cpr.Female)
	fx.unknown = num(1990, 2, 2, 3, cpr.Male)
	fx.malformed = "3102881234"
	for i, n := range []string{fx.p1, fx.p2, fx.v4} {
		if got := cpr.Number(n); got.BirthDate() != fx.birthP || (i < 2 && got.Sex() != cpr.Female) {
			t.Fatalf("%s: birth date %v sex %s", n, got.BirthDate(), got.Sex())
		}
	}
	if cpr.Number(fx.p1).Sex() != cpr.Number(fx.p2).Sex() {
		t.Fatal("P1 and P2 must have the same sex")
	}
	stair := func(floor, door string, in int) niStay {
		return niStay{niKommune, niLindevej, "5", floor, door, in, 0}
	}
	fx.visible = []niVisible{
		{fx.v1, "Viggo", "Holmgaard", "M", time.Date(1986, 9, 30, 0, 0, 0, 0, time.UTC), stair("1", "tv", -2000),
			[]niStay{{niKommune, niAskevej, "2", "", "", -3500, -2000}}},
		{fx.v2, "Villads", "Krogh", "M", time.Date(1984, 1, 15, 0, 0, 0, 0, time.UTC), stair("1", "th", -800),
			[]niStay{{niKommune, niBirkevej, "3", "1", "th", -1200, -800}}},
		{fx.k, "Karla", "Krogh", "K", time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC), stair("1", "th", -800),
			[]niStay{{niKommune, niBirkevej, "3", "1", "th", -1200, -800}}},
		{fx.v3, "Vibeke", "Stampe", "K", time.Date(1979, 11, 20, 0, 0, 0, 0, time.UTC), stair("2", "tv", -400),
			[]niStay{{niKommune, niEgevej, "8", "st", "", -3000, -400}}},
		{fx.v4, "Vagn", "Ellehave", "M", fx.birthP, niStay{147, 50, "1", "", "", -300, 0},
			[]niStay{{niKommune, niLindevej, "5", "2", "th", -1500, -300}}},
	}
	for i, d := range [][2]string{{"1", "tv"}, {"1", "th"}, {"2", "tv"}, {"2", "th"}} {
		fx.dwellings = append(fx.dwellings, niDwelling{d[0], d[1], fmt.Sprintf("00000000-0000-4000-9000-00000000050%d", i+1)})
	}
	base := time.Date(fx.today.Year(), fx.today.Month(), fx.today.Day(), 6, 0, 0, 0, time.UTC).AddDate(0, 0, -2)
	fx.eventFrom = base.Add(-time.Hour).Format(time.RFC3339)
	fx.eventBetween = base.Add(5 * time.Minute).Format(time.RFC3339)
	fx.eventTo = base.Add(time.Hour).Format(time.RFC3339)
	return fx
}

// seedNonInterference writes one world into env: with swapped false P1 has
// secret 0 and P2 secret 1, with swapped true the reverse. Everything else,
// relations included, is the same in both worlds.
func (fx *niFixture) seed(t *testing.T, env *testEnv, swapped bool) {
	t.Helper()
	day := fx.day
	secretOf := map[string]niSecret{fx.p1: niSecrets[0], fx.p2: niSecrets[1]}
	if swapped {
		secretOf[fx.p1], secretOf[fx.p2] = niSecrets[1], niSecrets[0]
	}
	streets := map[int]string{niLindevej: "Lindevej", niBirkevej: "Birkevej", niAskevej: "Askevej", niEgevej: "Egevej", 50: "Fredevej"}

	// The landlord's property: Lindevej 5, bought niAcquired days ago by
	// niOwner, which the LANDLORD test organisation is linked to.
	env.exec(t, `INSERT INTO ejendom (bfe_nummer, betegnelse) VALUES (200001, 'Lindevej 5')`)
	for _, d := range fx.dwellings {
		env.exec(t, `INSERT INTO dar_adresse (id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage, side_doer_nummer, postnummer, postdistrikt, bfe_nummer)
			VALUES ($1, $2, $3, $4, 'Lindevej', '5', $5, $6, $7, $8, 200001)`, d.dar, niHouseID, niKommune, niLindevej, d.floor, d.door, niPostal, niDistrict)
	}
	for i, s := range []niStay{{niKommune, niBirkevej, "3", "1", "th", 0, 0}, {niKommune, niAskevej, "2", "", "", 0, 0}, {niKommune, niEgevej, "8", "st", "", 0, 0}} {
		id := fmt.Sprintf("00000000-0000-4000-9000-00000000060%d", i)
		env.exec(t, `INSERT INTO dar_adresse (id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage, side_doer_nummer, postnummer, postdistrikt)
			VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, s.kommune, s.vej, streets[s.vej], s.house, s.floor, s.door, niPostal, niDistrict)
	}
	env.exec(t, `INSERT INTO ejerskab (bfe_nummer, ejer_cvr, ejet_fra, ejet_til, status) VALUES
		(200001, '00000009', $1, $2, 'historisk'), (200001, $3, $2, NULL, 'gældende')`, day(-9000), day(niAcquired), niOwner)
	env.exec(t, `INSERT INTO owner_link (organisation_id, owner_number) SELECT id, $1 FROM organisation WHERE name = 'Test LANDLORD'`, niOwner)

	stays := 0
	stay := func(who string, s niStay) {
		t.Helper()
		stays++
		env.exec(t, `INSERT INTO historiskeadresser (id, cpr, kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, tilflytnings_dato, fraflytnings_dato)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), NULLIF($7, ''), $8, $9)`,
			fmt.Sprintf("ni-ha-%02d", stays), who, s.kommune, s.vej, s.house, s.floor, s.door, day(s.in), day(s.out))
	}

	// The protected persons, in CPR order so that both worlds insert alike.
	for i, who := range []string{fx.p1, fx.p2} {
		s := secretOf[who]
		env.exec(t, `INSERT INTO person (cpr, fornavn, mellemnavn, efternavn, adresserings_navn, navn_start_dato, foedselsdato, koen, status,
				kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, vejnavn, postnummer, postdistrikt, start_dato)
			VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, 'K', '01', $8, $9, '5', $10, $11, 'Lindevej', $12, $13, $14)`,
			who, s.first, s.middle, s.last, s.addressing, day(s.names[0].to), fx.birthP, niKommune, niLindevej, s.floor, s.door, niPostal, niDistrict, day(niMoveIn))
		env.exec(t, `INSERT INTO personkontakt (cpr, tilflytnings_dato, navne_adressebeskyttelse_start_dato, navne_adressebeskyttelse_slette_dato)
			VALUES ($1, $2, $3, $4)`, who, day(niMoveIn), day(niProtectedFrom), day(niProtectedTo))
		for _, m := range s.moves {
			stay(who, m)
		}
		for j, n := range s.names {
			env.exec(t, `INSERT INTO historiskenavneoplysninger (id, cpr, fornavn, mellemnavn, efternavn, start_dato, slut_dato)
				VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7)`, fmt.Sprintf("ni-hn-%d-%d", i, j), who, n.first, n.middle, n.last, day(n.from), day(n.to))
		}
	}

	// The visible persons.
	for _, v := range fx.visible {
		h := v.home
		env.exec(t, `INSERT INTO person (cpr, fornavn, efternavn, adresserings_navn, foedselsdato, koen, status,
				kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, vejnavn, postnummer, postdistrikt, start_dato)
			VALUES ($1, $2, $3, $4, $5, $6, '01', $7, $8, $9, NULLIF($10, ''), NULLIF($11, ''), $12, $13, $14, $15)`,
			v.cpr, v.first, v.last, v.last+","+v.first, v.born, v.sex, h.kommune, h.vej, h.house, h.floor, h.door, streets[h.vej],
			map[bool]int{true: 2000, false: niPostal}[h.kommune == 147], map[bool]string{true: "Frederiksberg", false: niDistrict}[h.kommune == 147], day(h.in))
		env.exec(t, `INSERT INTO personkontakt (cpr, tilflytnings_dato) VALUES ($1, $2)`, v.cpr, day(h.in))
		for _, m := range v.moves {
			stay(v.cpr, m)
		}
	}

	// The relations: P1 is V1's wife and V3's guardian; P2 and V2 are K's
	// parents, both with custody.
	married := day(-1500)
	env.exec(t, `INSERT INTO personfamilie (cpr, civilstand, civilstand_start_dato, aegtefaelle_cpr) VALUES
		($1, 'G', $3, $2), ($2, 'G', $3, $1), ($4, 'U', NULL, NULL), ($5, 'U', NULL, NULL), ($6, 'U', NULL, NULL), ($7, 'U', NULL, NULL)`,
		fx.p1, fx.v1, married, fx.p2, fx.v2, fx.v3, fx.v4)
	env.exec(t, `INSERT INTO personfamilie (cpr, civilstand, mor_cpr, mor_dato, far_cpr, far_dato) VALUES ($1, 'U', $2, $4, $3, $4)`,
		fx.k, fx.p2, fx.v2, time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC))
	env.exec(t, `INSERT INTO barnrelation (id, cpr, barn_cpr) VALUES ('ni-br-p2', $1, $3), ('ni-br-v2', $2, $3)`, fx.p2, fx.v2, fx.k)
	env.exec(t, `INSERT INTO foraeldremyndighedrelation (id, cpr, type_kode, type_tekst, foraeldre_myndighed_start_dato) VALUES
		('ni-fm-mor', $1, '0003', 'Mor', $2), ('ni-fm-far', $1, '0004', 'Far', $2)`, fx.k, time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC))
	env.exec(t, `INSERT INTO umyndiggoerelsevaergerelation (id, cpr, relation_cpr, relation_cpr_start_dato, type_kode, type_tekst, umyndig_start_dato)
		VALUES ('ni-uv-v3', $1, $2, $3, '0001', 'Værge med CPR-nummer', $4)`, fx.v3, fx.p1, day(-700), day(-700))

	// Change events of facts that are the same in both worlds, registered
	// at fixed instants.
	base, _ := time.Parse(time.RFC3339, fx.eventFrom)
	base = base.Add(time.Hour)
	for i, e := range []struct {
		kind, cpr string
		kommune   int
		effective int
		data      string
	}{
		{"ADDRESS_PROTECTION", fx.p1, niKommune, niProtectedFrom, fmt.Sprintf(`{"startDato": %q, "sletteDato": %q}`, fx.iso(niProtectedFrom), fx.iso(niProtectedTo))},
		{"ADDRESS_PROTECTION", fx.p2, niKommune, niProtectedFrom, fmt.Sprintf(`{"startDato": %q, "sletteDato": %q}`, fx.iso(niProtectedFrom), fx.iso(niProtectedTo))},
		{"ADDRESS", fx.p1, niKommune, niMoveIn, `{}`},
		{"ADDRESS", fx.p2, niKommune, niMoveIn, `{}`},
		{"ADDRESS", fx.v3, niKommune, -400, `{}`},
		{"CIVIL_STATUS", fx.v1, niKommune, -1500, `{"civilstand": "G"}`},
		{"RELATION", fx.k, niKommune, -800, `{"relation": "MOTHER"}`},
		{"ADDRESS", fx.v4, 147, -300, `{}`},
	} {
		env.exec(t, `INSERT INTO person_event (registered_at, kind, cpr, kommune_kode, effective_date, data) VALUES ($1, $2, $3, $4, $5, $6)`,
			base.Add(time.Duration(i)*time.Minute), e.kind, e.cpr, e.kommune, day(e.effective), e.data)
	}
}

// sampleVars maps the leak fixture's placeholders of sampleArgs onto this
// fixture, for a root field that falls back to sampleArgs.
func (fx *niFixture) sampleVars() map[string]string {
	return map[string]string{
		"P1": fx.p1, "P2": fx.p2, "P3": fx.k, "C": fx.v1, "F": fx.v2,
		"P1_NAME": niSecrets[0].first, "P1_STREET": "Lindevej",
		"OWNER_CVR": niOwner, "SPARE_OWNER": niUnlinkedOwner,
		"DAR_ADDRESS": fx.dwellings[0].dar, "DAR_HOUSE": niHouseID,
		"YEAR_AGO": iso(monthsAgo(11)),
	}
}

// niQuote quotes a GraphQL string literal.
func niQuote(s string) string { return strconv.Quote(s) }

// niList is a GraphQL list of string literals.
func niList(ss ...string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = niQuote(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// cprPool are the CPR numbers a CPR argument is drawn from: the protected
// persons, their relatives and co-residents, a stranger born the same day,
// a valid number not in the register and a malformed one.
func (fx *niFixture) cprPool() []string {
	return []string{fx.p1, fx.v1, fx.p2, fx.v2, fx.v3, fx.k, fx.v4, fx.unknown, fx.malformed}
}

// cprListPool are the lists a [String!] argument (a list of CPR numbers) is
// drawn from.
func (fx *niFixture) cprListPool() []string {
	return []string{
		niList(fx.p1), niList(fx.v3), niList(fx.p2), niList(fx.v1), niList(fx.v2), niList(fx.k),
		niList(fx.v1, fx.p1), niList(fx.p1, fx.p2), niList(fx.v2, fx.k, fx.p2),
		niList(fx.v3, fx.p1, fx.p2, fx.v1, fx.v2, fx.k, fx.v4, fx.unknown),
	}
}

// moveDays are the days of the moves of the fixture, protected persons'
// (of both secrets) first.
var niMoveDays = []int{niMoveIn, -1000, -400, -2600, -800, -300}

// windows are the (from, to) date pairs of date-window arguments ("" leaves
// one out): around each move, before, across and after it, open on either
// side, and around P1's and P2's birth date (at most 100 days each, so a
// birth-date search accepts them all).
func (fx *niFixture) windows() [][2]string {
	bd := func(n int) string { return iso(fx.birthP.AddDate(0, 0, n)) }
	out := [][2]string{{"", ""}}
	for _, m := range niMoveDays {
		out = append(out, [2]string{fx.iso(m - 15), fx.iso(m + 15)})
	}
	out = append(out, [2]string{bd(-5), bd(5)}, [2]string{bd(0), ""}, [2]string{bd(1), bd(60)}, [2]string{bd(-99), bd(0)})
	for _, m := range niMoveDays {
		out = append(out,
			[2]string{fx.iso(m - 30), fx.iso(m)}, [2]string{fx.iso(m), fx.iso(m + 30)},
			[2]string{fx.iso(m), ""}, [2]string{"", fx.iso(m)})
	}
	return out
}

// residentsPool are the landlord lookups: the stairwell and each dwelling,
// by CPR address (with and without floor and door, by street code and by
// name) and by DAR id, each over periods before, across and after the moves.
func (fx *niFixture) residentsPool() []string {
	addrs := []string{
		fmt.Sprintf(`cprAddress: {municipalityCode: %d, streetCode: %d, houseNumber: "5"}`, niKommune, niLindevej),
		fmt.Sprintf(`darHouseNumberId: %q`, niHouseID),
		fmt.Sprintf(`cprAddress: {municipalityCode: %d, streetName: "lindevej", houseNumber: "5"}`, niKommune),
	}
	for _, d := range fx.dwellings {
		addrs = append(addrs,
			fmt.Sprintf(`cprAddress: {municipalityCode: %d, streetCode: %d, houseNumber: "5", floor: %q, door: %q}`, niKommune, niLindevej, d.floor, d.door),
			fmt.Sprintf(`darAddressId: %q`, d.dar))
	}
	periods := []string{
		fmt.Sprintf(`from: %q`, iso(monthsAgo(11))),
		fmt.Sprintf(`from: %q, to: %q`, fx.iso(-100), fx.iso(-85)),
		fmt.Sprintf(`from: %q`, fx.iso(-80)),
	}
	var out []string
	for _, p := range periods {
		for _, a := range addrs {
			out = append(out, fmt.Sprintf(`{owner: %q, %s, %s}`, niOwner, a, p))
		}
	}
	out = append(out, fmt.Sprintf(`{owner: %q, darAddressId: %q, %s}`, niUnlinkedOwner, fx.dwellings[0].dar, periods[0]))
	return out
}

// searchPool are person searches at the stairwell (and at former addresses)
// with the names of everyone, the secret ones of both worlds included.
func (fx *niFixture) searchPool() []string {
	at := func(street, house, name, extra string) string {
		return fmt.Sprintf(`{postalCode: %d, streetName: %q, houseNumber: %q, name: %q%s}`, niPostal, street, house, name, extra)
	}
	var out []string
	for _, name := range []string{niSecrets[0].first, niSecrets[1].last, niSecrets[0].last, niSecrets[1].first, "Holmgaard", "Krogh", "Stampe", "sen"} {
		out = append(out, at("Lindevej", "5", name, ""))
	}
	out = append(out,
		at("Lin", "5", "Solvej", `, floor: "1", door: "tv"`),
		at("Lin", "5", "Rigmor", `, floor: "1", door: "tv"`),
		at("Lindevej", "5", "Kro", `, floor: "1", door: "th"`),
		at("Lindevej", "5", "vej", fmt.Sprintf(`, birthDate: %q, sex: "K"`, iso(fx.birthP))),
		at("Lindevej", "5", "Rig", fmt.Sprintf(`, municipalityCode: %d`, niKommune)),
		at("Birkevej", "3", "Andersen", ""),
		at("Egevej", "8", "Bech", ""),
	)
	return out
}

// eventFilterPool are change-event filters.
func (fx *niFixture) eventFilterPool() []string {
	return []string{
		"",
		fmt.Sprintf(`{cprs: %s}`, niList(fx.p1)),
		fmt.Sprintf(`{cprs: %s}`, niList(fx.p2, fx.v1)),
		fmt.Sprintf(`{municipalityCode: %d}`, niKommune),
		`{municipalityCode: 147}`,
		`{kinds: [ADDRESS]}`,
		`{kinds: [ADDRESS_PROTECTION, RELATION]}`,
		fmt.Sprintf(`{from: %q, to: %q}`, fx.eventFrom, fx.eventBetween),
		fmt.Sprintf(`{from: %q, to: %q, municipalityCode: %d}`, fx.eventBetween, fx.eventTo, niKommune),
	}
}

// niArg is an argument of a root field.
type niArg struct {
	Name         string
	Type         typeRef
	DefaultValue *string
}

func (a niArg) required() bool { return a.Type.Kind == "NON_NULL" && a.DefaultValue == nil }

// isList reports whether the type is a list (under a non-null wrapper).
func (r typeRef) isList() bool {
	if r.Kind == "NON_NULL" && r.OfType != nil {
		return r.OfType.Kind == "LIST"
	}
	return r.Kind == "LIST"
}

// pool returns the values of one argument by its name and type, as GraphQL
// literals ("" for leaving it out); nil when there is no pool.
func (fx *niFixture) pool(a niArg) []string {
	var values []string
	name, typ := strings.ToLower(a.Name), a.Type.named()
	switch {
	case typ == "String" && a.Type.isList():
		values = fx.cprListPool()
	case typ == "String" && strings.Contains(name, "cpr"):
		for _, c := range fx.cprPool() {
			values = append(values, niQuote(c))
		}
	case typ == "Date" && name == "asof":
		values = []string{"", niQuote(fx.iso(-95)), niQuote(fx.iso(-450)), niQuote(fx.iso(-1100))}
	case typ == "Time" && name == "knownat":
		// After both worlds were seeded (the register as it stands), and
		// before either (nothing registered yet).
		values = []string{"", niQuote(time.Now().UTC().Format(time.RFC3339Nano)), niQuote("2001-01-01T00:00:00Z")}
	case typ == "BirthDateCriterion":
		bd := func(n int) string { return niQuote(iso(fx.birthP.AddDate(0, 0, n))) }
		values = []string{"", "[{from: " + bd(0) + "}]", "[{from: " + bd(-3) + ", to: " + bd(3) + "}, {from: " + bd(40) + "}]"}
	case typ == "Date" && name == "date":
		values = []string{"", niQuote(fx.iso(0)), niQuote(fx.iso(-100)), niQuote(fx.iso(-500))}
	case typ == "Date" && (name == "from" || name == "to"):
		seen := map[string]bool{}
		for _, w := range fx.windows() {
			v := w[0]
			if name == "to" {
				v = w[1]
			}
			if v != "" {
				v = niQuote(v)
			}
			if !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
	case typ == "Int" && name == "municipalitycode":
		values = []string{"", strconv.Itoa(niKommune), "147"}
	case typ == "ResidentsInput":
		values = fx.residentsPool()
	case typ == "PersonSearchInput":
		values = fx.searchPool()
	case typ == "PersonEventFilter":
		values = fx.eventFilterPool()
	}
	return values
}

// dimensions returns, for each argument (or pair of arguments drawn
// together), the argument fragments to choose from ("name: value", "" to
// leave it out). The date arguments from and to are drawn together from
// windows. missing names the required arguments without a pool.
func (fx *niFixture) dimensions(f introField) (dims [][]string, missing []string) {
	args := make([]niArg, len(f.Args))
	for i, a := range f.Args {
		args[i] = niArg{a.Name, a.Type, a.DefaultValue}
	}
	byName := map[string]niArg{}
	for _, a := range args {
		byName[a.Name] = a
	}
	from, hasFrom := byName["from"]
	to, hasTo := byName["to"]
	windowed := hasFrom && hasTo && from.Type.named() == "Date" && to.Type.named() == "Date"
	if windowed {
		var dim []string
		for _, w := range fx.windows() {
			if (w[0] == "" && from.required()) || (w[1] == "" && to.required()) {
				continue
			}
			var parts []string
			if w[0] != "" {
				parts = append(parts, "from: "+niQuote(w[0]))
			}
			if w[1] != "" {
				parts = append(parts, "to: "+niQuote(w[1]))
			}
			dim = append(dim, strings.Join(parts, ", "))
		}
		dims = append(dims, dim)
	}
	for _, a := range args {
		if windowed && (a.Name == "from" || a.Name == "to") {
			continue
		}
		values := fx.pool(a)
		var dim []string
		for _, v := range values {
			switch {
			case v == "" && a.required():
			case v == "":
				dim = append(dim, "")
			default:
				dim = append(dim, a.Name+": "+v)
			}
		}
		if len(dim) == 0 {
			if a.required() {
				missing = append(missing, a.Name)
				continue
			}
			dim = []string{""} // an optional argument without a pool is left out
		}
		dims = append(dims, dim)
	}
	return dims, missing
}

// argLists returns the argument lists root field f is called with: a bounded
// cross product of the dimensions, at most niCallsPerField, chosen
// deterministically: a quarter from the grid of the first values of each
// dimension, then each value of every dimension in turn, then a seeded
// random draw of the rest. A field with a required argument without a pool falls back to
// sampleArgs; with neither it is an error.
func (fx *niFixture) argLists(root rootField) ([]string, error) {
	dims, missing := fx.dimensions(root.Field)
	if len(missing) > 0 {
		lists, ok := sampleArgs[root.String()]
		if !ok {
			return nil, fmt.Errorf("%s: required argument(s) %v have no pool in noninterference_test.go (pool) and no sampleArgs entry", root, missing)
		}
		vars := fx.sampleVars()
		out := make([]string, len(lists))
		for i, l := range lists {
			for k, v := range vars {
				l = strings.ReplaceAll(l, "{"+k+"}", v)
			}
			out[i] = l
		}
		return out, nil
	}
	total := 1
	for _, d := range dims {
		total *= len(d)
		if total > 1<<20 {
			total = 1 << 20
		}
	}
	var picked [][]int
	seen := map[string]bool{}
	add := func(idx []int) {
		key := fmt.Sprint(idx)
		if !seen[key] {
			seen[key] = true
			picked = append(picked, slices.Clone(idx))
		}
	}
	limit, gridLimit, eachLimit := min(total, niCallsPerField), total, total
	if total > niCallsPerField {
		gridLimit, eachLimit = niCallsPerField/4, niCallsPerField*3/4
	}
	// The grid of the first values: every combination whose indices are all
	// at most level, for level 0, 1, 2, ...
	idx := make([]int, len(dims))
	var walk func(i, level int)
	walk = func(i, level int) {
		if len(picked) >= gridLimit {
			return
		}
		if i == len(dims) {
			add(idx)
			return
		}
		for v := 0; v <= level && v < len(dims[i]); v++ {
			idx[i] = v
			walk(i+1, level)
		}
	}
	for level := 0; len(picked) < gridLimit; level++ {
		walk(0, level)
	}
	// Each value of every dimension in turn (the first ones first), the
	// other dimensions turning at seeded offsets, so that every pool value
	// is used when the cap allows.
	h := fnv.New64a()
	h.Write([]byte(root.String()))
	rng := rand.New(rand.NewPCG(h.Sum64(), 13))
	offsets := make([]int, len(dims))
	longest := 0
	for i, d := range dims {
		offsets[i] = rng.IntN(len(d))
		longest = max(longest, len(d))
	}
	for j := 0; j < longest && len(picked) < eachLimit; j++ {
		for i, d := range dims {
			idx[i] = (j + offsets[i]*(j/len(d)+1)) % len(d)
			if len(d) == longest {
				idx[i] = j
			}
		}
		add(idx)
	}
	// The rest drawn at random.
	for tries := 0; len(picked) < limit && tries < 100*niCallsPerField; tries++ {
		for i, d := range dims {
			idx[i] = rng.IntN(len(d))
		}
		add(idx)
	}
	out := make([]string, len(picked))
	for i, p := range picked {
		var parts []string
		for d, v := range p {
			if s := dims[d][v]; s != "" {
				parts = append(parts, s)
			}
		}
		out[i] = strings.Join(parts, ", ")
	}
	return out, nil
}

// niCall is one query of the test.
type niCall struct {
	root rootField
	args string
	doc  string
}

// niPost sends a GraphQL document as the profile's client and returns the
// status and body; it is safe to call from any goroutine.
func (env *testEnv) niPost(profile access.Profile, doc string) (string, error) {
	body, _ := json.Marshal(map[string]any{"query": doc})
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+env.Keys[profile])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return fmt.Sprintf("HTTP %d\n%s", resp.StatusCode, raw), err
}

// niVolatile are the keys whose values belong to the request or to the
// test server rather than to the register: request ids, the instants rows
// are written at (now()), and the prefix of the random API keys.
var niVolatile = map[string]bool{
	"requestId": true, "request_id": true, "at": true, "createdAt": true, "revokedAt": true, "keyPrefix": true,
}

// niNormalise pretty-prints an answer with its volatile values replaced.
func niNormalise(answer string) string {
	head, body, _ := strings.Cut(answer, "\n")
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return answer
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if niVolatile[k] && x != nil {
					v[k] = "<" + k + ">"
				} else {
					v[k] = walk(x)
				}
			}
		case []any:
			for i, x := range v {
				v[i] = walk(x)
			}
		}
		return v
	}
	out, _ := json.MarshalIndent(walk(v), "", "  ")
	return head + "\n" + string(out)
}

// niDiff lists the JSON paths at which two normalised answers differ, at
// most niDiffPaths of them, each with both values.
func niDiff(a, b string) string {
	const niDiffPaths = 8
	headA, bodyA, _ := strings.Cut(a, "\n")
	headB, bodyB, _ := strings.Cut(b, "\n")
	var out []string
	if headA != headB {
		out = append(out, fmt.Sprintf("status: %s | %s", headA, headB))
	}
	var va, vb any
	if json.Unmarshal([]byte(bodyA), &va) != nil || json.Unmarshal([]byte(bodyB), &vb) != nil {
		return strings.Join(append(out, "world 0: "+bodyA, "world 1: "+bodyB), "\n")
	}
	show := func(v any) string {
		j, _ := json.Marshal(v)
		if len(j) > 100 {
			return string(j[:100]) + "…"
		}
		return string(j)
	}
	more := 0
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		mx, okx := x.(map[string]any)
		my, oky := y.(map[string]any)
		if okx && oky {
			keys := make([]string, 0, len(mx))
			for k := range mx {
				keys = append(keys, k)
			}
			for k := range my {
				if _, ok := mx[k]; !ok {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(path+"."+k, mx[k], my[k])
			}
			return
		}
		lx, okx := x.([]any)
		ly, oky := y.([]any)
		if okx && oky {
			if len(lx) != len(ly) {
				if len(out) < niDiffPaths {
					out = append(out, fmt.Sprintf("%s: %d items | %d items", path, len(lx), len(ly)))
				} else {
					more++
				}
			}
			for i := range min(len(lx), len(ly)) {
				walk(fmt.Sprintf("%s[%d]", path, i), lx[i], ly[i])
			}
			return
		}
		if show(x) == show(y) && fmt.Sprint(x) == fmt.Sprint(y) {
			return
		}
		if len(out) < niDiffPaths {
			out = append(out, fmt.Sprintf("%s: %s | %s", path, show(x), show(y)))
		} else {
			more++
		}
	}
	walk("", va, vb)
	if more > 0 {
		out = append(out, fmt.Sprintf("… and %d more", more))
	}
	return "        " + strings.Join(out, "\n        ")
}

// niBoth sends doc as profile to both worlds at once.
func niBoth(worlds [2]*testEnv, profile access.Profile, doc string) (answers [2]string, err error) {
	var wg sync.WaitGroup
	var errs [2]error
	for i, env := range worlds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i], errs[i] = env.niPost(profile, doc)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return answers, e
		}
	}
	return answers, nil
}

// TestNonInterference builds two worlds that differ only in the secret
// facts of the protected persons P1 and P2 (see niSecrets), calls every
// root query field of the live schema with arguments from the pools as
// every profile but AUTHORITY in both, and requires the same answer: same
// rows, order, yes/no, dates and errors. AUTHORITY must see a difference
// somewhere, which shows the worlds do differ.
//
// The calls of a world run one after the other, in the same order in both
// worlds (the two worlds are asked at the same time): the audit log, which
// auditLog shows, then holds the same rows in the same order in both. The
// root fields are therefore subtests but not parallel ones.
func TestNonInterference(t *testing.T) {
	t.Parallel()
	start := time.Now()
	fx := newNIFixture(t)
	var worlds [2]*testEnv
	for i := range worlds {
		worlds[i] = leakTestEnv(t)
		fx.seed(t, worlds[i], i == 1)
	}
	schema := introspect(t, worlds[0])
	introspect(t, worlds[1]) // the same requests in both worlds

	var profiles []access.Profile
	for _, p := range access.Profiles {
		if p != access.Authority {
			profiles = append(profiles, p)
		}
	}
	var calls []niCall
	for _, root := range schema.rootFields() {
		if root.Root != schema.QueryType.Name {
			continue
		}
		lists, err := fx.argLists(root)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, args := range lists {
			doc, problems := schema.operation(root, args, niDepth, niMaxVisits)
			for _, p := range problems {
				t.Errorf("%s: %s", root, p)
			}
			calls = append(calls, niCall{root, args, doc})
		}
	}

	requests := 0
	for _, root := range schema.rootFields() {
		if root.Root != schema.QueryType.Name {
			continue
		}
		t.Run(root.Field.Name, func(t *testing.T) {
			differ, n := 0, 0
			var rest []string // the differing calls not shown in full
			for _, c := range calls {
				if c.root.String() != root.String() {
					continue
				}
				for _, profile := range profiles {
					n++
					requests += 2
					answers, err := niBoth(worlds, profile, c.doc)
					if err != nil {
						t.Fatalf("%s(%s) as %s: %v", root, c.args, profile, err)
					}
					a, b := niNormalise(answers[0]), niNormalise(answers[1])
					if a == b {
						continue
					}
					differ++
					diff := niDiff(a, b)
					if differ <= niDiffsPerField {
						t.Errorf("INTERFERENCE: %s(%s) as %s answers differently in the two worlds (path: world 0 | world 1, where P1 has secret 0 | secret 1):\n%s",
							root, c.args, profile, diff)
					} else {
						first, _, _ := strings.Cut(strings.TrimSpace(diff), "\n")
						rest = append(rest, fmt.Sprintf("(%s) as %s: %s", c.args, profile, first))
					}
				}
			}
			if differ > 0 {
				t.Errorf("%s: %d of %d calls answer differently in the two worlds; besides those above:\n        %s",
					root, differ, n, strings.Join(rest, "\n        "))
			}
			t.Logf("%s: %d calls as %d profiles", root, n/len(profiles), len(profiles))
		})
	}

	// AUTHORITY sees the secret facts, so some answer must differ.
	authorityDiffers := 0
	var example string
	for _, c := range calls {
		requests += 2
		answers, err := niBoth(worlds, access.Authority, c.doc)
		if err != nil {
			t.Fatalf("%s(%s) as AUTHORITY: %v", c.root, c.args, err)
		}
		if niNormalise(answers[0]) != niNormalise(answers[1]) {
			authorityDiffers++
			if example == "" {
				example = fmt.Sprintf("%s(%s)", c.root, c.args)
			}
		}
	}
	if authorityDiffers == 0 {
		t.Error("AUTHORITY got the same answers in both worlds: the worlds do not differ, so the test would see no interference either")
	}
	t.Logf("%d calls, %d requests in %v; AUTHORITY's answers differ in %d calls (first: %s)",
		len(calls), requests, time.Since(start).Round(time.Millisecond), authorityDiffers, example)
}

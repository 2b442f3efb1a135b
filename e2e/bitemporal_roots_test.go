package e2e

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"cprgraph/access"
)

// answerOf returns the data of a successful answer, for comparing answers
// whole.
func answerOf(t *testing.T, env *testEnv, profile access.Profile, q string, vars map[string]any) string {
	t.Helper()
	return string(ok(t, env.query(t, profile, q, vars)).Data)
}

// TestEveryPersonRootReproducesItsAnswerKnownBeforeACorrection asks every
// person read other than person/persons/addressHistory (search, birth-date
// circle, household, shared address, cohabitation) and the nested relatives
// (spouse, relation, civil status's spouse, custody holder, guardian), then
// imports a correction that changes each answer, and asks again with knownAt
// before the correction: the first answer, whole.
func TestEveryPersonRootReproducesItsAnswerKnownBeforeACorrection(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	street := map[string]any{"vejnavn": "Lindevej", "postdistrikt": "København K"}
	importDelta(t, env, "person",
		annaRecord(street),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Berg", "koen": "M", "foedselsdato": "1982-07-01",
			"vejnavn": "Lindevej", "postdistrikt": "København K"}),
		annaRecord(map[string]any{"cpr": evClara, "fornavn": "Clara", "efternavn": "Berg", "foedselsdato": "2010-05-20",
			"vejnavn": "Lindevej", "postdistrikt": "København K"}))
	importDelta(t, env, "personkontakt",
		map[string]any{"cpr": evAnna, "tilflytningsDato": "2012-01-01"},
		map[string]any{"cpr": evBo, "tilflytningsDato": "2012-01-01"},
		map[string]any{"cpr": evClara, "tilflytningsDato": "2012-01-01"})
	importDelta(t, env, "personfamilie",
		map[string]any{"cpr": evAnna, "civilstand": "G", "civilstandStartDato": "2011-06-01", "aegtefaelleCPR": evBo},
		map[string]any{"cpr": evBo, "civilstand": "G", "civilstandStartDato": "2011-06-01", "aegtefaelleCPR": evAnna},
		map[string]any{"cpr": evClara, "morCPR": evAnna, "farCPR": evBo})
	importDelta(t, env, "foraeldremyndighedrelation", map[string]any{"id": "clara-custody-bo", "cpr": evClara,
		"typeKode": "0004", "typeTekst": "Far", "foraeldreMyndighedStartDato": "2010-05-20"})
	importDelta(t, env, "umyndiggoerelsevaergerelation", map[string]any{"id": "anna-guardian", "cpr": evAnna,
		"typeKode": "0001", "typeTekst": "Værge", "umyndigStartDato": "2020-01-01", "relationCpr": evBo})

	queries := map[string]string{
		"searchPersons": `query($k: Time) { searchPersons(criteria: {postalCode: 1000, name: "Holm", streetName: "Lind", houseNumber: "12"}, knownAt: $k) {
			moreHits persons { cpr lastName address { houseNumber } } } }`,
		"personsByBirthDate": `query($k: Time) { personsByBirthDate(criteria: [{from: "1980-03-14"}, {from: "1982-06-01", to: "1982-07-31"}], municipalityCode: 101, knownAt: $k) {
			totalCount edges { node { cpr lastName } } } }`,
		"household":     `query($k: Time) { household(cpr: "` + evAnna + `", knownAt: $k) { address { houseNumber } members { relation person { cpr lastName } } } }`,
		"sharedAddress": `query($k: Time) { sharedAddress(cprA: "` + evAnna + `", cprB: "` + evBo + `", knownAt: $k) { shared periods { from to } } }`,
		"cohabitation":  `query($k: Time) { cohabitation(primary: ["` + evAnna + `"], newOwner: ["` + evBo + `"], knownAt: $k) { feeDue pairs { rule } } }`,
		"nested": `query($k: Time) { person(cpr: "` + evClara + `", knownAt: $k) {
			mother { lastName spouse { lastName } civilStatus { spouse { lastName } } guardianships { guardian { lastName } } }
			relations { code person { lastName } } custody { holder { lastName } } } }`,
	}
	before := map[string]string{}
	for name, q := range queries {
		before[name] = answerOf(t, env, access.Authority, q, nil)
	}
	knownAt := registeredNow(t, env)

	// The correction: Anna is Holmberg at number 14, divorced from Bo, who
	// is Bergmann; Clara's custody and Anna's guardian stay.
	importDelta(t, env, "person",
		annaRecord(map[string]any{"vejnavn": "Lindevej", "postdistrikt": "København K", "efternavn": "Holmberg", "husnummer": "14"}),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Bergmann", "koen": "M", "foedselsdato": "1982-07-01",
			"vejnavn": "Lindevej", "postdistrikt": "København K", "kommuneKode": 147}))
	importDelta(t, env, "personfamilie",
		map[string]any{"cpr": evAnna, "civilstand": "F", "civilstandStartDato": "2011-06-01"},
		map[string]any{"cpr": evBo, "civilstand": "F", "civilstandStartDato": "2011-06-01"})

	for name, q := range queries {
		now := answerOf(t, env, access.Authority, q, nil)
		if now == before[name] {
			t.Errorf("%s: the correction did not change the answer %s; the test proves nothing", name, now)
		}
		then := answerOf(t, env, access.Authority, q, map[string]any{"k": knownAt})
		if then != before[name] {
			t.Errorf("%s with knownAt before the correction:\n got %s\nwant %s", name, then, before[name])
		}
	}
}

// TestAsOfReadsEveryPersonRootAsItWasValidThen: Bo lived at Parkvej 30 in
// municipality 147 until he moved in with Anna at Lindevej 12 (101) on
// 2020-01-01. Asked as of 2019-06-01, the search finds him at Parkvej, the
// birth-date circle of 147 holds him, Anna's household is Anna alone and
// Bo's is at number 30, and the shared address has no period; asked as
// things stand, each answers the other way.
func TestAsOfReadsEveryPersonRootAsItWasValidThen(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person",
		annaRecord(map[string]any{"vejnavn": "Lindevej"}),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Berg", "koen": "M", "foedselsdato": "1982-07-01",
			"vejnavn": "Lindevej"}),
		// Carl lives at Parkvej 30 since Bo left: the former address's
		// street name and postal code are read from a resident of the
		// house number.
		annaRecord(map[string]any{"cpr": evDan, "fornavn": "Carl", "efternavn": "Park", "koen": "M", "foedselsdato": "1955-11-30",
			"kommuneKode": 147, "vejKode": 500, "husnummer": "30", "vejnavn": "Parkvej", "postnummer": 2000}))
	importDelta(t, env, "personkontakt",
		map[string]any{"cpr": evAnna, "tilflytningsDato": "2012-01-01"},
		map[string]any{"cpr": evBo, "tilflytningsDato": "2020-01-01"},
		map[string]any{"cpr": evDan, "tilflytningsDato": "2020-02-01"})
	importDelta(t, env, "historiskeadresser", map[string]any{"id": "bo-parkvej", "cpr": evBo, "kommuneKode": 147, "vejKode": 500,
		"husnummer": "30", "tilflytningsDato": "2005-01-01", "fraflytningsDato": "2020-01-01"})

	const q = `query($asOf: Date) {
		searchPersons(criteria: {postalCode: 2000, name: "Bo B", streetName: "Park", houseNumber: "30"}, asOf: $asOf) {
			persons { cpr asOf address { streetName houseNumber } } }
		personsByBirthDate(criteria: [{from: "1982-07-01"}], municipalityCode: 147, asOf: $asOf) {
			totalCount edges { node { cpr address { municipalityCode } } } }
		anna: household(cpr: "` + evAnna + `", asOf: $asOf) { members { person { cpr } } }
		bo: household(cpr: "` + evBo + `", asOf: $asOf) { address { houseNumber } members { person { cpr asOf } } }
		sharedAddress(cprA: "` + evAnna + `", cprB: "` + evBo + `", asOf: $asOf) { shared }
	}`
	then := ok(t, env.query(t, access.Authority, q, map[string]any{"asOf": "2019-06-01"}))
	wantEqual(t, then, "searchPersons.persons", []any{map[string]any{"cpr": evBo, "asOf": "2019-06-01",
		"address": map[string]any{"streetName": "Parkvej", "houseNumber": "30"}}})
	wantEqual(t, then, "personsByBirthDate.totalCount", 1)
	wantEqual(t, then, "personsByBirthDate.edges.0.node.cpr", evBo)
	wantEqual(t, then, "anna.members", []any{map[string]any{"person": map[string]any{"cpr": evAnna}}})
	wantEqual(t, then, "bo.address.houseNumber", "30")
	wantEqual(t, then, "bo.members", []any{map[string]any{"person": map[string]any{"cpr": evBo, "asOf": "2019-06-01"}}})
	wantEqual(t, then, "sharedAddress.shared", false)

	now := ok(t, env.query(t, access.Authority, q, nil))
	wantEqual(t, now, "searchPersons.persons", []any{})
	wantEqual(t, now, "personsByBirthDate.totalCount", 0)
	wantEqual(t, now, "anna.members", []any{
		map[string]any{"person": map[string]any{"cpr": evAnna}}, map[string]any{"person": map[string]any{"cpr": evBo}}})
	wantEqual(t, now, "bo.address.houseNumber", "12")
	wantEqual(t, now, "sharedAddress.shared", true)
}

// TestAViewNeverUnmasksAPersonProtectedToday: Bo is protected from today;
// asked by a PRIVATE caller as of a day before the protection, or as known
// before it was registered, he is found nowhere a name or address would
// tell (search), and masked wherever he is listed (household, spouse).
func TestAViewNeverUnmasksAPersonProtectedToday(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person",
		annaRecord(map[string]any{"vejnavn": "Lindevej"}),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Holm", "koen": "M", "foedselsdato": "1982-07-01",
			"vejnavn": "Lindevej"}))
	importDelta(t, env, "personfamilie", map[string]any{"cpr": evAnna, "civilstand": "G", "civilstandStartDato": "2011-06-01", "aegtefaelleCPR": evBo})
	beforeProtection := registeredNow(t, env)
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": iso(access.Today())})

	const q = `query($asOf: Date, $k: Time) {
		searchPersons(criteria: {postalCode: 1000, name: "Holm", streetName: "Lind", houseNumber: "12"}, asOf: $asOf, knownAt: $k) { persons { cpr } }
		household(cpr: "` + evAnna + `", asOf: $asOf, knownAt: $k) { members { cpr protected person { firstName } } }
		person(cpr: "` + evAnna + `", asOf: $asOf, knownAt: $k) { spouse { protected firstName } relations { person { protected lastName } } }
	}`
	for _, vars := range []map[string]any{{"asOf": "2015-01-01"}, {"k": beforeProtection}, {"asOf": "2015-01-01", "k": beforeProtection}} {
		r := ok(t, env.query(t, access.Private, q, vars))
		raw, _ := json.Marshal(vars)
		wantEqual(t, r, "searchPersons.persons", []any{map[string]any{"cpr": evAnna}})
		wantEqual(t, r, "household.members.1", map[string]any{"cpr": nil, "protected": true, "person": nil})
		wantEqual(t, r, "person.spouse", map[string]any{"protected": true, "firstName": nil})
		wantEqual(t, r, "person.relations.0.person", map[string]any{"protected": true, "lastName": nil})
		if t.Failed() {
			t.Fatalf("view %s", raw)
		}
	}
}

// TestResidentsKnownAtReproducesTheLookupBeforeAMoveWasRegistered: a
// landlord's lookup of Testvej 1, then a move-in registered there; asked
// again with knownAt before it, the first answer, whole.
func TestResidentsKnownAtReproducesTheLookupBeforeAMoveWasRegistered(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	input := stairwell1()
	input["from"] = iso(monthsAgo(12))
	const q = `query($input: ResidentsInput!, $k: Time) { residents(input: $input, knownAt: $k) {
		rows { addressingName protected moveIn moveOut address } } }`
	before := answerOf(t, env, access.Landlord, q, map[string]any{"input": input})
	params := url.Values{"owner": {ownerCVR}, "municipalityCode": {"101"}, "streetName": {"testvej"}, "houseNumber": {"1"},
		"from": {iso(monthsAgo(12))}}
	csvBefore := exportCSV(t, env, params)
	knownAt := registeredNow(t, env)

	// Carl moves back in, to the first floor right.
	if _, err := env.Conn.Exec(`UPDATE person SET vej_kode = 1234, husnummer = '1', etage = '1', side_doer_nummer = 'th'
		WHERE cpr = '0101801113'`); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Conn.Exec(`UPDATE personkontakt SET tilflytnings_dato = $1 WHERE cpr = '0101801113'`, iso(weeksAgo(1))); err != nil {
		t.Fatal(err)
	}
	now := answerOf(t, env, access.Landlord, q, map[string]any{"input": input})
	if now == before {
		t.Fatalf("the move-in did not change the answer %s; the test proves nothing", now)
	}
	if then := answerOf(t, env, access.Landlord, q, map[string]any{"input": input, "k": knownAt}); then != before {
		t.Errorf("residents with knownAt before the move-in:\n got %s\nwant %s", then, before)
	}
	// The download takes knownAt too.
	if now := exportCSV(t, env, params); slices.EqualFunc(now, csvBefore, slices.Equal) {
		t.Errorf("the move-in did not change the CSV export")
	}
	params.Set("knownAt", knownAt)
	if then := exportCSV(t, env, params); !slices.EqualFunc(then, csvBefore, slices.Equal) {
		t.Errorf("CSV export with knownAt before the move-in:\n got %v\nwant %v", then, csvBefore)
	}
}

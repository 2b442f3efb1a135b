package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/web"
)

// The family fixture: Hans (F) and Mette (M) are married and live at
// Testvej 12, 2. th with their daughter Clara (C), the protected lodger (L)
// and Hans's dead mother Grete (G). Hans's father Xander (X) is protected and
// lives elsewhere; Nomad (N) has no fixed address; 0101701112 is Hans's old
// number.
const (
	cprF   = "0101701111"
	cprM   = "0202721122"
	cprC   = "0303104133"
	cprL   = "0404804144"
	cprG   = "0505404155"
	cprX   = "0606404166"
	cprN   = "0707904177"
	cprOld = "0101701112"
)

// testvej12 is the family's dwelling.
var testvej12 = addr{Municipality: 101, Street: 1234, StreetName: "Testvej", House: "12", Floor: "2", Door: "th",
	PostalCode: 2100, District: "København Ø", StandardAddressing: "Testvej 12, 2. th"}

func seedFamily(t *testing.T, env *testEnv) {
	t.Helper()
	for _, p := range []person{
		{CPR: cprF, First: "Hans", Last: "Testesen", AddressingName: "Testesen,Hans", Born: "1970-01-01", Sex: "M",
			Status: "01", StatusDate: "1970-01-01", NameSince: "2012-06-01", Address: testvej12},
		{CPR: cprM, First: "Mette", Last: "Testesen", AddressingName: "Testesen,Mette", Born: "1972-02-02", Sex: "K",
			Status: "01", StatusDate: "1972-02-02", Address: testvej12},
		{CPR: cprC, First: "Clara", Last: "Testesen", AddressingName: "Testesen,Clara", Born: "2010-03-03", Sex: "K",
			Status: "01", StatusDate: "2010-03-03", Address: testvej12},
		{CPR: cprL, First: "Skjult", Last: "Lejer", AddressingName: "Lejer,Skjult", Born: "1980-04-04", Sex: "M",
			Status: "01", StatusDate: "1980-04-04", Address: testvej12},
		{CPR: cprG, First: "Grete", Last: "Hansen", AddressingName: "Hansen,Grete", Born: "1940-05-05", Sex: "K",
			Status: "90", StatusDate: "2015-01-01", Address: testvej12},
		{CPR: cprX, First: "Xander", Last: "Hansen", AddressingName: "Hansen,Xander", Born: "1940-06-06", Sex: "M",
			Status: "01", StatusDate: "1940-06-06", Address: addr{Municipality: 101, Street: 4321, StreetName: "Andenvej", House: "5",
				PostalCode: 2200, District: "København N", StandardAddressing: "Andenvej 5"}},
		{CPR: cprN, First: "Nomad", Last: "Udenfast", Born: "1990-07-07", Sex: "M", Status: "01", Address: addr{Municipality: 101}},
		{CPR: cprOld, First: "Hans", Last: "Testesen", Born: "1970-01-01", Sex: "M", Status: "60", StatusDate: "1971-01-01", CurrentCPR: cprF},
	} {
		p.insert(t, env)
	}
	contact{CPR: cprF, MovedIn: "2010-05-01", Supplementary: []string{"Postboks 12", "2100 København Ø"},
		Citizenship: 5100, CitizenSince: "1970-01-01", MarketingProtectedFrom: "2015-01-01"}.insert(t, env)
	contact{CPR: cprM, MovedIn: "2010-05-01", ContactLines: []string{"c/o Advokat Jensen", "Strøget 1", "1000 København K"},
		ContactFrom: daysFromToday(-30)}.insert(t, env)
	contact{CPR: cprL, MovedIn: "2020-01-01", ProtectedFrom: daysFromToday(-10)}.insert(t, env)
	contact{CPR: cprX, ProtectedFrom: daysFromToday(-100), ProtectedUntil: daysFromToday(100)}.insert(t, env)

	family{CPR: cprF, CivilStatus: "G", Since: "2009-06-01", Spouse: cprM, Mother: cprG, Father: cprX}.insert(t, env)
	family{CPR: cprC, CivilStatus: "U", Mother: cprM, Father: cprF}.insert(t, env)
	family{CPR: cprM, CivilStatus: "G", Since: "2009-06-01", Spouse: cprF, MotherName: "Ukendt Mor", MotherBorn: "1950-01-01"}.insert(t, env)
	child(t, env, "1", cprF, cprC)
	child(t, env, "2", cprM, cprC)
	child(t, env, "3", cprG, cprF)
	custody{ID: "1", Child: cprC, TypeCode: "0003", TypeText: "Mor", Since: "2010-03-03"}.insert(t, env)
	custody{ID: "2", Child: cprC, TypeCode: "0004", TypeText: "Far", Since: "2010-03-03"}.insert(t, env)
	guardianship{ID: "1", CPR: cprF, TypeCode: "0000", TypeText: "Værge findes ikke i CPR", GuardianName: "Advokat Værgesen",
		GuardianLines: []string{"Værgevej 1", "8000 Aarhus C"}, Since: "2020-01-01"}.insert(t, env)

	// Datatypes only TestPersonShowsEveryDatatype reads, one row each.
	insertRow(t, env, "personudvidet", map[string]any{"cpr": cprF, "folkekirke_forhold": "F", "folkekirke_start_dato": "1970-02-01"})
	insertRow(t, env, "deltbopael", map[string]any{"cpr": cprC, "start_dato": "2018-01-01"})
	insertRow(t, env, "personkommunikation", map[string]any{"cpr": cprF, "email": "hans@example.dk", "mobil_telefon": "12345678"})
	insertRow(t, env, "historiskestatsborgerskaber", map[string]any{"id": "S1", "cpr": cprF, "landekode": 5180, "start_dato": "1970-01-01", "slut_dato": "1990-01-01"})
	insertRow(t, env, "historiskefolkekirkeoplysninger", map[string]any{"id": "K1", "cpr": cprF, "folkekirkeforhold": "U", "start_dato": "1970-01-01", "slut_dato": "1970-02-01"})
	insertRow(t, env, "historiskerejseoplysninger", map[string]any{"id": "R1", "cpr": cprF, "udrejse_dato": "1995-01-01", "udrejse_landekode": 5390,
		"indrejse_dato": "1996-01-01", "udlands_adr1": "Rue de Test 1", "udlands_adr2": "Paris"})
	insertRow(t, env, "historiskeseparationer", map[string]any{"id": "P1", "cpr": cprF, "start_dato": "2008-01-01", "slut_dato": "2008-06-01"})
	insertRow(t, env, "historiskeforsvindgenfindoplysninger", map[string]any{"id": "D1", "cpr": cprF, "forsvindings_dato": "1999-01-01", "genfindings_dato": "1999-02-01"})
	insertRow(t, env, "historiskepersonnumre", map[string]any{"id": "H1", "cpr": cprF, "historisk_cpr": cprOld, "start_dato": "1970-01-01", "slut_dato": "1971-01-01"})
	insertRow(t, env, "notat", map[string]any{"id": "1", "cpr": cprF, "notat_nummer": 1, "notat_linje": "Testnotat"})

	// Former addresses: the street names are in the address register.
	gammelvej3 := addr{Municipality: 101, Street: 555, StreetName: "Gammelvej", House: "3", PostalCode: 2200, District: "København N"}
	midtvej7B := addr{Municipality: 101, Street: 777, StreetName: "Midtvej", House: "7B", PostalCode: 2300, District: "København S"}
	darAddress{Address: gammelvej3}.insert(t, env)
	darAddress{Address: midtvej7B}.insert(t, env)
	flat := func(a addr, floor, door string) addr { a.Floor, a.Door = floor, door; return a }
	for _, a := range []formerAddress{
		{ID: "F1", CPR: cprF, Address: gammelvej3, In: "2000-01-01", Out: "2005-01-01"},
		{ID: "F2", CPR: cprF, Address: flat(midtvej7B, "1", "tv"), In: "2005-01-01", Out: "2010-05-01"},
		{ID: "F3", CPR: cprF, Address: addr{Municipality: 101, Street: 999, House: "1"}, In: "2007-01-01", Out: "2008-01-01", Correction: "A"},
		{ID: "F4", CPR: cprF, Address: flat(midtvej7B, "1", "th"), In: "2005-01-01", Out: "2010-05-01", Correction: "K"},
		{ID: "M1", CPR: cprM, Address: flat(midtvej7B, "1", "tv"), In: "2006-01-01", Out: "2010-05-01"},
		{ID: "L1", CPR: cprL, Address: gammelvej3, In: "2001-01-01", Out: "2003-01-01"},
	} {
		a.insert(t, env)
	}
	formerName{ID: "N1", CPR: cprF, First: "Hans", Last: "Hansen", From: "1970-01-01", To: "2012-06-01"}.insert(t, env)
	formerName{ID: "N2", CPR: cprF, First: "Hanz", Last: "Hansen", From: "1970-01-01", To: "2012-06-01", Correction: "A"}.insert(t, env)
	formerCivilStatus{ID: "C1", CPR: cprF, CivilStatus: "U", From: "1970-01-01", To: "2009-06-01"}.insert(t, env)
}

// at walks a JSON document by a dotted path of keys and list indexes.
func at(t *testing.T, raw json.RawMessage, path string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("data is not JSON: %s", raw)
	}
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: no element %s in %s", path, key, raw)
			}
			v = x[i]
		default:
			t.Fatalf("%s: cannot take %s of %v in %s", path, key, v, raw)
		}
	}
	return v
}

// ok fails the test when the response has errors.
func ok(t *testing.T, r gqlResponse) gqlResponse {
	t.Helper()
	if len(r.Errors) > 0 || r.Status != 200 {
		t.Fatalf("unexpected errors: %s", r.Raw)
	}
	return r
}

func wantEqual(t *testing.T, r gqlResponse, path string, want any) {
	t.Helper()
	got := at(t, r.Data, path)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", path, got, want)
	}
}

func TestPersonShowsEveryDatatype(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	r := ok(t, env.query(t, access.Authority, web.Examples[0].Query, map[string]any{"cpr": cprF}))
	for path, want := range map[string]any{
		"person.firstName":                            "Hans",
		"person.addressingName":                       "Testesen,Hans",
		"person.birthDate":                            "1970-01-01",
		"person.sex":                                  "M",
		"person.statusText":                           "Aktiv, bopæl i dansk folkeregister",
		"person.deathDate":                            nil,
		"person.civilStatus.code":                     "G",
		"person.civilStatus.spouse.cpr":               cprM,
		"person.relations.0.code":                     "SPOUSE",
		"person.relations.1.code":                     "MOTHER",
		"person.relations.1.person.protected":         false,
		"person.relations.2.code":                     "FATHER",
		"person.relations.2.person.protected":         true,
		"person.relations.3.code":                     "CHILD",
		"person.relations.3.cpr":                      cprC,
		"person.guardianships.0.guardianName":         "Advokat Værgesen",
		"person.guardianships.0.guardianAddressLines": []any{"Værgevej 1", "8000 Aarhus C"},
		"person.address.lines":                        []any{"Testvej 12, 2. th", "2100 København Ø"},
		"person.address.municipalityName":             "København",
		"person.address.validFrom":                    "2010-05-01",
		"person.forwardingAddress.kind":               "SUPPLEMENTARY",
		"person.email":                                "hans@example.dk",
		"person.mobilePhone":                          "12345678",
		"person.protections.0.kind":                   "MARKETING",
		"person.protections.0.active":                 true,
		"person.nameHistory":                          []any{map[string]any{"firstName": "Hans", "lastName": "Hansen", "validFrom": "1970-01-01", "validTo": "2012-06-01"}},
		"person.cprNumberHistory.0.previousCpr":       cprOld,
	} {
		wantEqual(t, r, path, want)
	}

	// The remaining datatypes, the dead mother, the other forwarding kinds,
	// custody and the old number.
	const q = `query($cpr: String!) { person(cpr: $cpr) {
		citizenship { countryCode } church { code text } civilStatusHistory { code validTo }
		citizenshipHistory { countryCode } churchHistory { code } travelHistory { exitCountryCode foreignAddressLines }
		separationHistory { validFrom } disappearanceHistory { foundOn } notes { number line }
		mother { firstName status deathDate } children { firstName sharedResidenceSince
			custody { typeCode holderCpr holder { firstName } } forwardingAddress { kind lines } }
		spouse { forwardingAddress { kind lines } relations { code name birthDate } } } }`
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": cprF}))
	for path, want := range map[string]any{
		"person.citizenship.countryCode":               5100,
		"person.church.text":                           "Medlem af folkekirken",
		"person.civilStatusHistory.0.code":             "U",
		"person.citizenshipHistory.0.countryCode":      5180,
		"person.churchHistory.0.code":                  "U",
		"person.travelHistory.0.foreignAddressLines":   []any{"Rue de Test 1", "Paris"},
		"person.separationHistory.0.validFrom":         "2008-01-01",
		"person.disappearanceHistory.0.foundOn":        "1999-02-01",
		"person.notes.0.line":                          "Testnotat",
		"person.mother.deathDate":                      "2015-01-01",
		"person.children.0.sharedResidenceSince":       "2018-01-01",
		"person.children.0.custody.0.holderCpr":        cprM,
		"person.children.0.custody.1.holder.firstName": "Hans",
		"person.children.0.forwardingAddress.kind":     "FOLKEREGISTER",
		"person.spouse.forwardingAddress.kind":         "CONTACT",
		"person.spouse.forwardingAddress.lines":        []any{"c/o Advokat Jensen", "Strøget 1", "1000 København K"},
		"person.spouse.relations.1.name":               "Ukendt Mor",
	} {
		wantEqual(t, r, path, want)
	}

	r = ok(t, env.query(t, access.Private, `{ person(cpr: "0101701112") { cpr newCpr status } }`, nil))
	wantEqual(t, r, "person.newCpr", cprF)
}

// TestAReplacedNumberAnswersWithTheNewNumberOnly: seed 001's MultiHent
// answers a number that was later replaced with the new number and nothing
// else, for every profile and wherever in the graph the old number appears.
func TestAReplacedNumberAnswersWithTheNewNumberOnly(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `{ person(cpr: "0101701112") { cpr newCpr protected firstName birthDate status statusDate address { streetName } nameHistory { firstName } }
		persons(cprs: ["0101701112"]) { person { cpr newCpr lastName sex } } }`
	for _, profile := range []access.Profile{access.Authority, access.Private} {
		r := ok(t, env.query(t, profile, q, nil))
		wantEqual(t, r, "person", map[string]any{"cpr": "0101701112", "newCpr": cprF, "protected": false, "firstName": nil,
			"birthDate": nil, "status": nil, "statusDate": nil, "address": nil, "nameHistory": nil})
		wantEqual(t, r, "persons.0.person", map[string]any{"cpr": "0101701112", "newCpr": cprF, "lastName": nil, "sex": nil})
	}
	// The new number answers in full.
	r := ok(t, env.query(t, access.Authority, `{ person(cpr: "`+cprF+`") { newCpr firstName } }`, nil))
	wantEqual(t, r, "person.newCpr", nil)
	if at(t, r.Data, "person.firstName") == nil {
		t.Errorf("the new number answers without a name: %s", r.Raw)
	}
}

func TestProtectedRelativesMaskedForPrivate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($cpr: String!) { person(cpr: $cpr) {
		father { cpr protected birthDate firstName lastName address { lines } addressHistory { streetName } nameHistory { firstName } }
		household { cpr protected relation person { firstName } } } }`
	priv := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprF}))
	wantEqual(t, priv, "person.father.protected", true)
	wantEqual(t, priv, "person.father.birthDate", "1940-06-06")
	for _, path := range []string{"person.father.firstName", "person.father.address", "person.father.addressHistory", "person.father.nameHistory"} {
		wantEqual(t, priv, path, nil)
	}
	if strings.Contains(priv.Raw, "Xander") || strings.Contains(priv.Raw, "Skjult") || strings.Contains(priv.Raw, "Andenvej") {
		t.Errorf("PRIVATE sees a protected name or address: %s", priv.Raw)
	}
	auth := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": cprF}))
	if !strings.Contains(auth.Raw, "Xander") || !strings.Contains(auth.Raw, "Skjult") {
		t.Errorf("AUTHORITY: %s", auth.Raw)
	}

	// A protected person's own relations and history are masked too.
	const own = `{ person(cpr: "0404804144") { cpr protected addressHistory { streetName } household { cpr } relations { code } protections { kind } } }`
	priv = ok(t, env.query(t, access.Private, own, nil))
	for _, path := range []string{"person.addressHistory", "person.household", "person.relations", "person.protections"} {
		wantEqual(t, priv, path, nil)
	}
}

func TestPersonsAnswersEachNumberOfABatch(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($cprs: [String!]!) { persons(cprs: $cprs) { cpr error { code message } person { cpr firstName } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cprs": []string{cprF, "12345", "0101011234", "010170-1111", cprL}}))
	wantEqual(t, r, "persons.0.person.firstName", "Hans")
	wantEqual(t, r, "persons.1.error", map[string]any{"code": "BAD_USER_INPUT", "message": "CPR-nummer er ikke korrekt: 12345"})
	wantEqual(t, r, "persons.1.person", nil)
	wantEqual(t, r, "persons.2.error", map[string]any{"code": "NOT_FOUND", "message": "CPR-nummer er ikke korrekt: 0101011234"})
	wantEqual(t, r, "persons.3.cpr", "010170-1111")
	wantEqual(t, r, "persons.3.person.cpr", cprF)
	wantEqual(t, r, "persons.4.person", map[string]any{"cpr": cprL, "firstName": nil})

	many := make([]string, 101)
	for i := range many {
		many[i] = cprF
	}
	if r := env.query(t, access.Authority, q, map[string]any{"cprs": many}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("101 numbers: %s", r.Raw)
	}
	if r := env.query(t, access.Authority, q, map[string]any{"cprs": many[:100]}); len(r.Errors) > 0 || len(at(t, r.Data, "persons").([]any)) != 100 {
		t.Errorf("100 numbers: %.300s", r.Raw)
	}
	if r := env.query(t, access.Authority, q, map[string]any{"cprs": []string{}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("no numbers: %s", r.Raw)
	}
	for _, c := range []string{"12345", "0101011234"} {
		r := env.query(t, access.Authority, `query($c: String!) { person(cpr: $c) { cpr } }`, map[string]any{"c": c})
		if !strings.Contains(r.Raw, "CPR-nummer er ikke korrekt: "+c) {
			t.Errorf("person(%s): %s", c, r.Raw)
		}
	}
}

func TestPersonAsOfShowsTheDataValidThen(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($cprs: [String!]!, $asOf: Date) { persons(cprs: $cprs, asOf: $asOf) { person {
		asOf firstName lastName status address { streetName houseNumber door validFrom } civilStatus { code spouse { cpr } } } } }`
	r := ok(t, env.query(t, access.Authority, q, map[string]any{"cprs": []string{cprF}, "asOf": "2008-01-01"}))
	wantEqual(t, r, "persons.0.person.asOf", "2008-01-01")
	wantEqual(t, r, "persons.0.person.lastName", "Hansen")
	wantEqual(t, r, "persons.0.person.address", map[string]any{"streetName": "Midtvej", "houseNumber": "7B", "door": "tv", "validFrom": "2005-01-01"})
	wantEqual(t, r, "persons.0.person.civilStatus", map[string]any{"code": "U", "spouse": nil})
	wantEqual(t, r, "persons.0.person.status", "01")

	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cprs": []string{cprF}, "asOf": "2011-01-01"}))
	wantEqual(t, r, "persons.0.person.lastName", "Hansen")
	wantEqual(t, r, "persons.0.person.address.streetName", "Testvej")
	wantEqual(t, r, "persons.0.person.civilStatus.spouse.cpr", cprM)

	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cprs": []string{cprF}, "asOf": "1960-01-01"}))
	wantEqual(t, r, "persons.0.person.firstName", nil)
	wantEqual(t, r, "persons.0.person.address", nil)
	wantEqual(t, r, "persons.0.person.status", nil)

	r = ok(t, env.query(t, access.Authority, `{ person(cpr: "0101701111", asOf: "2008-01-01") { lastName } }`, nil))
	wantEqual(t, r, "person.lastName", "Hansen")
}

func TestSearchPersonsMatchesCriteriaAndHidesProtected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($c: PersonSearchInput!) { searchPersons(criteria: $c) {
		moreHits persons { cpr protected firstName } } }`
	search := func(profile access.Profile, c map[string]any) gqlResponse {
		return env.query(t, profile, q, map[string]any{"c": c})
	}
	base := map[string]any{"postalCode": 2100, "name": "tEsTeSeN", "streetName": "testv", "houseNumber": "12"}

	r := ok(t, search(access.Private, base))
	wantEqual(t, r, "searchPersons.moreHits", false)
	wantEqual(t, r, "searchPersons.persons.0.cpr", cprF)
	wantEqual(t, r, "searchPersons.persons.1.cpr", cprM)
	wantEqual(t, r, "searchPersons.persons.2.cpr", cprC)

	// Other criteria exact; house letter only; first name anywhere in the name.
	for _, c := range []struct {
		extra map[string]any
		want  int
	}{
		{map[string]any{"sex": "K"}, 2},
		{map[string]any{"birthDate": "2010-03-03"}, 1},
		{map[string]any{"floor": "2", "door": "TH", "postalDistrict": "københavn ø", "municipalityCode": 101}, 3},
		{map[string]any{"door": "tv"}, 0},
		{map[string]any{"name": "clara tes"}, 1},
		{map[string]any{"houseNumber": "012"}, 3},
		{map[string]any{"houseNumber": "1"}, 0},
		{map[string]any{"streetName": "estvej"}, 0},
	} {
		crit := map[string]any{}
		for k, v := range base {
			crit[k] = v
		}
		for k, v := range c.extra {
			crit[k] = v
		}
		r := ok(t, search(access.Authority, crit))
		if n := len(at(t, r.Data, "searchPersons.persons").([]any)); n != c.want {
			t.Errorf("%v: %d hits, want %d: %s", c.extra, n, c.want, r.Raw)
		}
	}
	env.exec(t, `UPDATE person SET husnummer = '7B' WHERE cpr = $1`, cprM)
	r = ok(t, search(access.Authority, map[string]any{"postalCode": 2100, "name": "mette", "streetName": "Tes", "houseLetter": "b"}))
	wantEqual(t, r, "searchPersons.persons.0.cpr", cprM)

	// The protected lodger is found only by AUTHORITY.
	lodger := map[string]any{"postalCode": 2100, "name": "Skjult", "streetName": "Testvej", "houseNumber": "12"}
	r = ok(t, search(access.Private, lodger))
	wantEqual(t, r, "searchPersons.persons", []any{})
	wantEqual(t, r, "searchPersons.moreHits", false)
	r = ok(t, search(access.Authority, lodger))
	wantEqual(t, r, "searchPersons.persons.0", map[string]any{"cpr": cprL, "protected": true, "firstName": "Skjult"})

	for name, c := range map[string]map[string]any{
		"short name":    {"postalCode": 2100, "name": "Te", "streetName": "Testvej", "houseNumber": "12"},
		"short street":  {"postalCode": 2100, "name": "Testesen", "streetName": "T  ", "houseNumber": "12"},
		"no house":      {"postalCode": 2100, "name": "Testesen", "streetName": "Testvej"},
		"bad house":     {"postalCode": 2100, "name": "Testesen", "streetName": "Testvej", "houseNumber": "12a"},
		"bad sex":       {"postalCode": 2100, "name": "Testesen", "streetName": "Testvej", "houseNumber": "12", "sex": "X"},
		"no postalCode": {"name": "Testesen", "streetName": "Testvej", "houseNumber": "12"},
	} {
		if r := search(access.Authority, c); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
	if r := search(access.Landlord, base); r.code() != "FORBIDDEN" {
		t.Errorf("LANDLORD: %s", r.Raw)
	}
}

// PersonkredsSøg's PersonkredsValgListe: one call takes several dates and
// intervals; a person born on a day two criteria share is listed once, and
// the list is ordered as one circle. Each criterion is held to the 100-day
// limit, and 1 to 100 criteria, or the single from-to, are required.
func TestPersonsByBirthDateTakesAListOfCriteria(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	januaryBorn(t, env, func(int) int { return 101 })
	const q = `query($c: [BirthDateCriterion!], $from: Date, $to: Date) {
		personsByBirthDate(criteria: $c, from: $from, to: $to, first: 200) { totalCount edges { node { cpr birthDate } } } }`
	criteria := []any{map[string]any{"from": "1980-01-20"}, map[string]any{"from": "1980-01-01", "to": "1980-01-03"},
		map[string]any{"from": "1980-01-02", "to": "1980-01-04"}}
	r := ok(t, env.query(t, access.Private, q, map[string]any{"c": criteria}))
	wantEqual(t, r, "personsByBirthDate.totalCount", 25)
	var got []string
	for _, e := range at(t, r.Data, "personsByBirthDate.edges").([]any) {
		got = append(got, e.(map[string]any)["node"].(map[string]any)["cpr"].(string))
	}
	if len(got) != 25 || got[0] != "0101800001" || got[19] != "0401800005" || got[20] != "2001800001" || !slices.IsSorted(got[:20]) {
		t.Errorf("got %v", got)
	}

	hundred := make([]any, 100)
	for i := range hundred {
		hundred[i] = map[string]any{"from": "1980-01-01"}
	}
	ok(t, env.query(t, access.Private, q, map[string]any{"c": hundred}))
	for name, v := range map[string]map[string]any{
		"no criteria":         {},
		"empty list":          {"c": []any{}},
		"101 criteria":        {"c": append(slices.Clone(hundred), map[string]any{"from": "1980-01-01"})},
		"criteria and from":   {"c": criteria, "from": "1980-01-01"},
		"criteria and to":     {"c": criteria, "to": "1980-01-01"},
		"a reversed one":      {"c": []any{criteria[0], map[string]any{"from": "1980-02-01", "to": "1980-01-31"}}},
		"one of 101 days":     {"c": []any{criteria[0], map[string]any{"from": "1980-01-01", "to": "1980-04-10"}}},
		"a criterion without": {"c": []any{map[string]any{"to": "1980-01-01"}}},
	} {
		if r := env.query(t, access.Private, q, v); r.code() != "BAD_USER_INPUT" && r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s: %s", name, r.Raw)
		} else if name == "a reversed one" && !strings.Contains(r.Raw, "criterion 2") {
			t.Errorf("%s: the error does not name the criterion: %s", name, r.Raw)
		}
	}
}

func TestPersonsByBirthDatePagesAndHidesProtectedByMunicipality(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	januaryBorn(t, env, func(serial int) int { return []int{101, 751}[serial%2] })
	const q = `query($from: Date!, $to: Date, $m: Int, $first: Int, $after: String) {
		personsByBirthDate(from: $from, to: $to, municipalityCode: $m, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { cpr birthDate protected firstName } } } }`

	var all []string
	vars := map[string]any{"from": "1980-01-01", "to": "1980-04-09", "first": 40}
	for page := 0; ; page++ {
		r := ok(t, env.query(t, access.Private, q, vars))
		for _, e := range at(t, r.Data, "personsByBirthDate.edges").([]any) {
			all = append(all, e.(map[string]any)["node"].(map[string]any)["cpr"].(string))
		}
		if at(t, r.Data, "personsByBirthDate.pageInfo.hasNextPage") == false {
			wantEqual(t, r, "personsByBirthDate.totalCount", 156)
			break
		}
		vars["after"] = at(t, r.Data, "personsByBirthDate.pageInfo.endCursor")
	}
	if len(all) != 156 || all[0] != "0101800001" || all[155] != cprL {
		t.Fatalf("got %d persons, first %v", len(all), all[:3])
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c] {
			t.Fatalf("%s twice", c)
		}
		seen[c] = true
	}

	r := ok(t, env.query(t, access.Private, q, map[string]any{"from": "1980-04-04"}))
	wantEqual(t, r, "personsByBirthDate.edges.0.node", map[string]any{"cpr": cprL, "birthDate": "1980-04-04", "protected": true, "firstName": nil})
	// With a municipality, a protected hit would tell where the person lives.
	r = ok(t, env.query(t, access.Private, q, map[string]any{"from": "1980-04-04", "m": 101}))
	wantEqual(t, r, "personsByBirthDate.totalCount", 0)
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"from": "1980-04-04", "m": 101}))
	wantEqual(t, r, "personsByBirthDate.edges.0.node", map[string]any{"cpr": cprL, "birthDate": "1980-04-04", "protected": true, "firstName": "Skjult"})
	r = ok(t, env.query(t, access.Private, q, map[string]any{"from": "1980-01-01", "to": "1980-01-31", "m": 101}))
	wantEqual(t, r, "personsByBirthDate.totalCount", 62)
	r = ok(t, env.query(t, access.Private, q, map[string]any{"from": "1980-01-01", "to": "1980-04-03", "first": 1}))
	wantEqual(t, r, "personsByBirthDate.totalCount", 155)

	for name, v := range map[string]map[string]any{
		"101 days":     {"from": "1980-01-01", "to": "1980-04-10"},
		"bad date":     {"from": "1980-01-01", "to": "1980-04-10T00:00"},
		"reversed":     {"from": "1980-02-01", "to": "1980-01-31"},
		"municipality": {"from": "1980-01-01", "m": 1234},
		"first 0":      {"from": "1980-01-01", "first": 0},
		"first 201":    {"from": "1980-01-01", "first": 201},
	} {
		if r := env.query(t, access.Private, q, v); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
	// An event cursor is not a birth-date cursor.
	env.exec(t, `INSERT INTO person_event (kind, cpr) VALUES ('ADDRESS', '0101701111'), ('ADDRESS', '0202721122')`)
	r = ok(t, env.query(t, access.Authority, `{ personEvents(first: 1) { pageInfo { endCursor } } }`, nil))
	if r := env.query(t, access.Authority, q, map[string]any{"from": "1980-01-01", "after": at(t, r.Data, "personEvents.pageInfo.endCursor")}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("foreign cursor: %s", r.Raw)
	}
}

func TestAddressHistoryShowsTenLatestAndMasksProtected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	// Nomad has 12 former addresses; only the 10 latest are shown.
	for i := 1; i <= 12; i++ {
		formerAddress{ID: fmt.Sprintf("N%d", i), CPR: cprN, Address: addr{Municipality: 101, Street: 2000 + i, House: "1"},
			In: fmt.Sprintf("%d-01-01", 2000+i), Out: fmt.Sprintf("%d-01-01", 2001+i)}.insert(t, env)
	}
	const q = `query($cprs: [String!]!) { addressHistory(cprs: $cprs) { cpr error { code message }
		history { cpr protected addresses { streetName streetCode houseNumber door postalCode validFrom validTo } } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cprs": []string{cprF, cprN, "0101011234", "x", cprL}}))
	wantEqual(t, r, "addressHistory.0.history.addresses", []any{
		map[string]any{"streetName": "Testvej", "streetCode": 1234, "houseNumber": "12", "door": "th", "postalCode": 2100, "validFrom": "2010-05-01", "validTo": nil},
		map[string]any{"streetName": "Midtvej", "streetCode": 777, "houseNumber": "7B", "door": "tv", "postalCode": 2300, "validFrom": "2005-01-01", "validTo": "2010-05-01"},
		map[string]any{"streetName": "Gammelvej", "streetCode": 555, "houseNumber": "3", "door": nil, "postalCode": 2200, "validFrom": "2000-01-01", "validTo": "2005-01-01"},
	})
	nomad := at(t, r.Data, "addressHistory.1.history.addresses").([]any)
	if len(nomad) != 10 || nomad[1].(map[string]any)["streetCode"] != float64(2012) || nomad[9].(map[string]any)["streetCode"] != float64(2004) {
		t.Errorf("nomad: %v", nomad)
	}
	wantEqual(t, r, "addressHistory.2.error.code", "NOT_FOUND")
	wantEqual(t, r, "addressHistory.3.error", map[string]any{"code": "BAD_USER_INPUT", "message": "CPR-nummer er ikke korrekt: x"})
	wantEqual(t, r, "addressHistory.4.history", map[string]any{"cpr": cprL, "protected": true, "addresses": nil})

	// A superseded version (K) is shown when it is the only one of its move.
	env.exec(t, `DELETE FROM historiskeadresser WHERE id = 'F2'`)
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cprs": []string{cprF}}))
	wantEqual(t, r, "addressHistory.0.history.addresses.1.door", "th")
	if r := env.query(t, access.Landlord, q, map[string]any{"cprs": []string{cprF}}); r.code() != "FORBIDDEN" {
		t.Errorf("LANDLORD: %s", r.Raw)
	}
}

func TestSharedAddressWithheldWhenAProtectedPersonTakesPart(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($a: String!, $b: String!, $from: Date, $to: Date) { sharedAddress(cprA: $a, cprB: $b, from: $from, to: $to) {
		shared personA { cpr firstName } personB { cpr protected firstName } periods { from to address { streetName } } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"a": cprF, "b": cprM}))
	wantEqual(t, r, "sharedAddress.shared", true)
	wantEqual(t, r, "sharedAddress.periods", []any{
		map[string]any{"from": "2010-05-01", "to": nil, "address": map[string]any{"streetName": "Testvej"}},
		map[string]any{"from": "2006-01-01", "to": "2010-05-01", "address": map[string]any{"streetName": "Midtvej"}},
	})
	r = ok(t, env.query(t, access.Private, q, map[string]any{"a": cprF, "b": cprM, "from": "2007-01-01", "to": "2008-01-01"}))
	wantEqual(t, r, "sharedAddress.periods", []any{map[string]any{"from": "2007-01-01", "to": "2008-01-01", "address": map[string]any{"streetName": "Midtvej"}}})
	r = ok(t, env.query(t, access.Private, q, map[string]any{"a": cprF, "b": cprM, "to": "2005-01-01"}))
	wantEqual(t, r, "sharedAddress.shared", false)
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"a": cprF, "b": cprX}))
	wantEqual(t, r, "sharedAddress.shared", false)

	// With the protected lodger (who lives with F) or the protected father
	// (who does not), PRIVATE gets no answer at all (WITHHELD, whatever the
	// answer would be): a yes/no or a date over windows of its choosing
	// would place the lodger at F's visible address, and bisecting the
	// windows would recover the dates.
	for _, window := range []map[string]any{{"b": cprL}, {"b": cprL, "from": "2020-01-01"}, {"b": cprL, "to": "2000-01-01"}, {"b": cprX}} {
		vars := map[string]any{"a": cprF}
		maps.Copy(vars, window)
		r = env.query(t, access.Private, q, vars)
		if r.code() != "WITHHELD" || len(r.Errors) != 1 || hasData(r.Data) {
			t.Errorf("PRIVATE, with a protected person, %v: %s", window, r.Raw)
		}
	}
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"a": cprL, "b": cprF}))
	wantEqual(t, r, "sharedAddress.periods.1.address.streetName", "Gammelvej")

	for name, v := range map[string]map[string]any{
		"malformed": {"a": "1", "b": cprM},
		"reversed":  {"a": cprF, "b": cprM, "from": "2010-01-01", "to": "2009-01-01"},
	} {
		if r := env.query(t, access.Authority, q, v); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
	if r := env.query(t, access.Authority, q, map[string]any{"a": cprF, "b": "0101011234"}); r.code() != "NOT_FOUND" {
		t.Errorf("unknown: %s", r.Raw)
	}
}

func TestHouseholdListsProtectedMemberLastWithoutNumber(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFamily(t, env)
	const q = `query($cpr: String!) { household(cpr: $cpr) { cpr protected address { streetName floor door }
		members { cpr relation protected person { firstName } } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprC}))
	wantEqual(t, r, "household.address", map[string]any{"streetName": "Testvej", "floor": "2", "door": "th"})
	wantEqual(t, r, "household.members", []any{
		map[string]any{"cpr": cprF, "relation": "FATHER", "protected": false, "person": map[string]any{"firstName": "Hans"}},
		map[string]any{"cpr": cprM, "relation": "MOTHER", "protected": false, "person": map[string]any{"firstName": "Mette"}},
		map[string]any{"cpr": cprC, "relation": "SELF", "protected": false, "person": map[string]any{"firstName": "Clara"}},
		// The protected lodger: no number (it would give the address away), last (its
		// place among members ordered by number would hint at its birth date).
		map[string]any{"cpr": nil, "relation": nil, "protected": true, "person": nil},
	})
	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": cprF}))
	wantEqual(t, r, "household.members.0.relation", "SELF")
	wantEqual(t, r, "household.members.1.relation", "SPOUSE")
	wantEqual(t, r, "household.members.2.person.firstName", "Skjult")
	wantEqual(t, r, "household.members.3.relation", "CHILD")

	// The protected lodger's own household: nothing but the marker.
	r = ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprL}))
	wantEqual(t, r, "household", map[string]any{"cpr": cprL, "protected": true, "address": nil, "members": nil})
	// No fixed address: a household of one. The dead mother is not a member of her own old address either.
	r = ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprN}))
	wantEqual(t, r, "household.members", []any{map[string]any{"cpr": cprN, "relation": "SELF", "protected": false, "person": map[string]any{"firstName": "Nomad"}}})
	r = ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprG}))
	if n := len(at(t, r.Data, "household.members").([]any)); n != 5 {
		t.Errorf("dead person's household: %s", r.Raw)
	}

	if r := env.query(t, access.Private, q, map[string]any{"cpr": "0101011234"}); r.code() != "NOT_FOUND" {
		t.Errorf("unknown: %s", r.Raw)
	}
	if r := env.query(t, access.Private, q, map[string]any{"cpr": "abc"}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("malformed: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, q, map[string]any{"cpr": cprF}); r.code() != "FORBIDDEN" {
		t.Errorf("ADMIN: %s", r.Raw)
	}
}

// TestREADMEExamplesAnswerWithDataOnTheDemo runs every example of the
// README and GraphiQL tabs against the demo population (app.SetupDemo on a
// fresh database) as its profile's demo key, with its variables as of
// today: each answers 200 without errors and with the data it shows off.
// Anonymous callers, and ADMIN, are refused.
func TestREADMEExamplesAnswerWithDataOnTheDemo(t *testing.T) {
	t.Parallel()
	conn, dbURL := dbtest.NewWithURL(t)
	keys, err := app.SetupDemo(context.Background(), conn, 500, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{Conn: conn, DBURL: dbURL, Store: db.NewStore(conn), Keys: keys}
	env = env.serve(t, cfg, app.Deps{DB: conn, Store: env.Store, Events: newTestFeed(t, dbURL, env.Store), DemoKeys: keys})
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(web.Examples) < 10 {
		t.Errorf("%d examples, want the README's 10", len(web.Examples))
	}
	for _, e := range web.Examples {
		if e.Want == "" {
			t.Errorf("the example %q says no Want: the text its answer must hold", e.Operation)
		}
		if !strings.Contains(string(readme), e.Query) || !strings.Contains(string(readme), e.Variables) {
			t.Errorf("README.md lacks the example %q", e.Operation)
		}
		var vars map[string]any
		if err := json.Unmarshal([]byte(e.VariablesOn(access.Today())), &vars); err != nil {
			t.Fatalf("%s: %v", e.Operation, err)
		}
		r := env.query(t, access.Profile(e.ProfileName()), e.Query, vars)
		if r.Status != 200 || len(r.Errors) > 0 || !strings.Contains(string(r.Data), e.Want) {
			t.Errorf("%s as %s: want 200 with %q, got %d %s", e.Operation, e.ProfileName(), e.Want, r.Status, r.Raw)
		}
		for p, want := range map[access.Profile]string{"": "UNAUTHENTICATED", access.Admin: "FORBIDDEN"} {
			if r := env.query(t, p, e.Query, vars); r.code() != want || strings.Contains(r.Raw, e.Want) {
				t.Errorf("%s as %q: want %s, got %s", e.Operation, p, want, r.Raw)
			}
		}
	}
}

// countingDB counts the statements sent to the database.
type countingDB struct {
	*sqlx.DB
	n atomic.Int64
}

func (c *countingDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.DB.QueryContext(ctx, query, args...)
}

func (c *countingDB) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	c.n.Add(1)
	return c.DB.QueryxContext(ctx, query, args...)
}

func (c *countingDB) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	c.n.Add(1)
	return c.DB.QueryRowxContext(ctx, query, args...)
}

func (c *countingDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.DB.ExecContext(ctx, query, args...)
}

// seedFamilies inserts n families: person i with spouse, mother, father and
// two children, all at one dwelling, and two former addresses. It returns
// the CPR numbers of the n persons.
func seedFamilies(t *testing.T, env *testEnv, n int) []string {
	t.Helper()
	number := func(year, i int, sex cpr.Sex) string {
		c, err := cpr.New(time.Date(year, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i, sex)
		if err != nil {
			t.Fatal(err)
		}
		return c.String()
	}
	var persons []string
	for i := range n {
		p, s, m, f := number(1960, i, cpr.Male), number(1961, i, cpr.Female), number(1930, i, cpr.Female), number(1931, i, cpr.Male)
		c1, c2 := number(1990, i, cpr.Male), number(1992, i, cpr.Female)
		persons = append(persons, p)
		for _, c := range []string{p, s, m, f, c1, c2} {
			person{CPR: c, First: "Fam", Status: "01", Address: addr{Municipality: 101, Street: i, House: "1",
				StreetName: "Familievej", PostalCode: 2100}}.insert(t, env)
		}
		family{CPR: p, CivilStatus: "G", Spouse: s, Mother: m, Father: f}.insert(t, env)
		child(t, env, p+"a", p, c1)
		child(t, env, p+"b", p, c2)
		formerAddress{ID: p + "a", CPR: p, Address: addr{Municipality: 101, Street: 9000, House: "1"}, In: "2000-01-01", Out: "2005-01-01"}.insert(t, env)
		formerAddress{ID: p + "b", CPR: p, Address: addr{Municipality: 101, Street: 9001, House: "1"}, In: "2005-01-01", Out: "2010-01-01"}.insert(t, env)
	}
	return persons
}

// TestPersonStatementCountIndependentOfBatchSize checks that nested relations are batched: the
// number of SQL statements for a batch with spouse, parents, children,
// address history and household does not grow with the batch.
func TestPersonStatementCountIndependentOfBatchSize(t *testing.T) {
	env := newTestEnv(t)
	persons := seedFamilies(t, env, 100)
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	// A generous batch window, so a busy test machine cannot split a batch.
	cfg.LoaderWait = 200 * time.Millisecond
	counter := &countingDB{DB: env.Conn}
	counted := env.serve(t, cfg, app.Deps{DB: env.Conn, Store: db.NewStore(counter)})

	const q = `query($cprs: [String!]!) { persons(cprs: $cprs) { person {
		cpr firstName spouse { cpr firstName } mother { cpr firstName } father { cpr firstName }
		children { cpr firstName mother { cpr } } relations { code person { cpr } }
		addressHistory { streetCode validFrom } household { cpr relation person { firstName } } } } }`
	count := func(n int) int64 {
		counter.n.Store(0)
		r := ok(t, counted.query(t, access.Authority, q, map[string]any{"cprs": persons[:n]}))
		if got := len(at(t, r.Data, "persons").([]any)); got != n {
			t.Fatalf("%d persons, want %d", got, n)
		}
		wantEqual(t, r, fmt.Sprintf("persons.%d.person.household.5.relation", n-1), "CHILD")
		return counter.n.Load()
	}
	count(1) // the first audit write reads the log's last hash
	// A family is 6 persons: 16 families are 96, within the person budget
	// of one request (access.PersonBudget).
	ten, hundred := count(2), count(16)
	t.Logf("SQL statements: %d for 2 persons, %d for 16 persons (96 with their families)", ten, hundred)
	// Authentication 1, persons 1, person loader 2 rounds, children 1,
	// address history 1, household 1, audit 1.
	const most = 10
	if hundred > most || hundred != ten {
		t.Errorf("statements: %d for 2 persons, %d for 16; want at most %d and independent of the batch size", ten, hundred, most)
	}
}

package e2e

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"cprgraph/access"
)

// The privacy fixture. Vera (V) and her protected husband Sune (S) live at
// Skjulevej 7, 1. tv with their child Kim (K). Otto's old number (O, status
// 60) points to his current number N, which is protected; Ulla's old number
// (U) is protected and her current number W is not, by its own columns.
// Frida (F) had a protection in personkontakt that has expired, and has an
// active one in person's own name protection.
const (
	privV = "1212801234"
	privS = "1302821234"
	privK = "1403104234"
	privO = "1504601234"
	privN = "1504601235"
	privU = "1605611234"
	privW = "1605611235"
	privF = "1706711234"
)

func seedPrivacy(t *testing.T, env *testEnv) {
	t.Helper()
	home := func(door string) addr {
		return addr{Municipality: 101, Street: 777, StreetName: "Skjulevej", House: "7", Floor: "1", Door: door, PostalCode: 2100, District: "København Ø"}
	}
	for _, p := range []person{
		{CPR: privV, First: "Vera", Last: "Synlig", Born: "1980-12-12", Sex: "K", Status: "01", Address: home("tv")},
		{CPR: privS, First: "Sune", Last: "Skjult", Born: "1982-02-13", Sex: "M", Status: "01", Address: home("tv")},
		{CPR: privK, First: "Kim", Last: "Synlig", Born: "2010-03-14", Sex: "M", Status: "01", Address: home("tv")},
		{CPR: privO, First: "Otto", Last: "Gammelnummer", Born: "1960-04-15", Sex: "M", Status: "60", Address: home("th"), CurrentCPR: privN},
		{CPR: privN, First: "Otto", Last: "Nytnummer", Born: "1960-04-15", Sex: "M", Status: "01", Address: home("th")},
		{CPR: privU, First: "Ulla", Last: "Gammelnummer", Born: "1961-05-16", Sex: "K", Status: "60", Address: home("mf"), CurrentCPR: privW},
		{CPR: privW, First: "Ulla", Last: "Nytnummer", Born: "1961-05-16", Sex: "K", Status: "01", Address: home("mf")},
		{CPR: privF, First: "Frida", Last: "Tokilder", Born: "1971-06-17", Sex: "K", Status: "01", Address: home("2"), NameProtectedFrom: daysFromToday(-5)},
	} {
		p.AddressingName = p.Last + "," + p.First
		p.insert(t, env)
	}
	for _, cpr := range []string{privS, privN, privU} {
		protect(t, env, cpr, daysFromToday(-100))
	}
	// Frida: personkontakt's protection expired long ago; person's own name
	// protection is in force.
	contact{CPR: privF, ProtectedFrom: "2000-01-01", ProtectedUntil: "2010-01-01"}.insert(t, env)

	marry(t, env, privV, privS, "2009-06-01")
	family{CPR: privK, CivilStatus: "U", Mother: privS, Father: privV}.insert(t, env)
	child(t, env, "pv", privV, privK)
	child(t, env, "ps", privS, privK)
}

// scopedClient creates a PRIVATE client holding only the given scopes and
// returns its key.
func scopedClient(t *testing.T, env *testEnv, scopes ...string) string {
	t.Helper()
	ctx := context.Background()
	org, err := env.Store.Clients.OrganisationByName(ctx, "Test "+string(access.Private))
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := env.Store.Clients.CreateClient(ctx, org.ID, "only "+strings.Join(scopes, ","), string(access.Private), scopes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestMaskedHouseholdMemberCarriesNoRelationCode(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	const members = `members { cpr relation protected person { cpr firstName } }`
	masked := map[string]any{"cpr": nil, "relation": nil, "protected": true, "person": nil}
	for name, q := range map[string]string{
		"household(V)":                       `{ x: household(cpr: "` + privV + `") { ` + members + ` } }`,
		"person(V) { household }":            `{ x: person(cpr: "` + privV + `") { members: household { cpr relation protected person { cpr firstName } } } }`,
		"household(K), K's mother protected": `{ x: household(cpr: "` + privK + `") { ` + members + ` } }`,
	} {
		r := ok(t, env.query(t, access.Private, q, nil))
		rows := at(t, r.Data, "x.members").([]any)
		if last := rows[len(rows)-1]; !reflect.DeepEqual(last, masked) {
			t.Errorf("%s as PRIVATE: the protected member is %v, want only the marker %v", name, last, masked)
		}
		if strings.Contains(r.Raw, "SPOUSE") || strings.Contains(r.Raw, "MOTHER") || strings.Contains(r.Raw, privS) {
			t.Errorf("%s as PRIVATE names the protected spouse: %s", name, r.Raw)
		}
	}
	r := ok(t, env.query(t, access.Authority, `{ household(cpr: "`+privV+`") { members { cpr relation } } }`, nil))
	if !strings.Contains(r.Raw, `{"cpr":"`+privS+`","relation":"SPOUSE"}`) {
		t.Errorf("AUTHORITY sees the spouse with its relation: %s", r.Raw)
	}
}

func TestProtectionFollowsThePersonAcrossNumberChanges(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	const q = `query($cpr: String!) { person(cpr: $cpr) { cpr protected newCpr firstName lastName address { streetName } } }`
	// O's current number is protected; U's old number is protected.
	for _, number := range []string{privO, privN, privU, privW} {
		r := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": number}))
		wantEqual(t, r, "person", map[string]any{"cpr": number, "protected": true, "newCpr": nil, "firstName": nil, "lastName": nil, "address": nil})
	}
	r := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": privO}))
	wantEqual(t, r, "person.newCpr", privN)
	wantEqual(t, r, "person.protected", true)

	for name, q := range map[string]string{
		"search":                              `{ searchPersons(criteria: {postalCode: 2100, name: "Otto", streetName: "Skjul", houseNumber: "7"}) { persons { cpr } } }`,
		"birth-date circle in a municipality": `{ personsByBirthDate(from: "1960-04-15", to: "1960-05-15", municipalityCode: 101) { edges { node { cpr } } } }`,
	} {
		r := ok(t, env.query(t, access.Private, q, nil))
		for _, number := range []string{privO, privN, privU, privW} {
			if strings.Contains(r.Raw, number) {
				t.Errorf("%s as PRIVATE finds %s: %s", name, number, r.Raw)
			}
		}
	}
}

func TestAnyActiveProtectionSourceProtects(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	const q = `query($cpr: String!) { person(cpr: $cpr) { protected firstName protections { kind startDate deleteDate active } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": privF}))
	wantEqual(t, r, "person.protected", true)
	wantEqual(t, r, "person.firstName", nil)

	r = ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": privF}))
	wantEqual(t, r, "person.protected", true)
	protections := at(t, r.Data, "person.protections").([]any)
	var active, expired int
	for _, p := range protections {
		if p.(map[string]any)["kind"] == "NAME_AND_ADDRESS" {
			if p.(map[string]any)["active"] == true {
				active++
			} else {
				expired++
			}
		}
	}
	if active != 1 || expired != 1 {
		t.Errorf("AUTHORITY sees both name-and-address protections, the active one and the expired one: %s", r.Raw)
	}

	r = ok(t, env.query(t, access.Private, `{ searchPersons(criteria: {postalCode: 2100, name: "Frida", streetName: "Skjul", houseNumber: "7"}) { persons { cpr } } }`, nil))
	if strings.Contains(r.Raw, privF) {
		t.Errorf("search as PRIVATE finds the protected person: %s", r.Raw)
	}
}

func TestScopesGuardNestedFields(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	for _, c := range []struct {
		scope, query string
		allowed      []string // nested fields the scope alone may read
		forbidden    []string
	}{
		{"search", `{ personsByBirthDate(from: "1980-12-12") { edges { node { firstName %s } } } }`,
			nil, []string{"relations { cpr }", "addressHistory { streetName }", "household { cpr }", "civilStatus { code }"}},
		{"household", `{ household(cpr: "` + privV + `") { members { person { firstName %s } } } }`,
			[]string{"household { cpr }"}, []string{"spouse { cpr }", "addressHistory { streetName }", "nameHistory { firstName }"}},
		{"address_history", `{ sharedAddress(cprA: "` + privV + `", cprB: "` + privK + `") { personA { firstName %s } } }`,
			[]string{"addressHistory { streetName }"}, []string{"relations { cpr }", "household { cpr }", "email"}},
		{"person", `{ person(cpr: "` + privV + `") { firstName %s } }`,
			[]string{"relations { cpr }", "civilStatus { code }"}, []string{"addressHistory { streetName }", "household { cpr }"}},
	} {
		key := scopedClient(t, env, c.scope)
		for _, field := range c.allowed {
			if r := env.queryAs(t, bearer(key), strings.Replace(c.query, "%s", field, 1)); len(r.Errors) > 0 {
				t.Errorf("scope %s reading %s: %s", c.scope, field, r.Raw)
			}
		}
		for _, field := range c.forbidden {
			r := env.queryAs(t, bearer(key), strings.Replace(c.query, "%s", field, 1))
			if r.code() != "FORBIDDEN" || strings.Contains(r.Raw, privS) || strings.Contains(r.Raw, "Skjulevej") && strings.HasPrefix(field, "addressHistory") {
				t.Errorf("scope %s reading %s: want FORBIDDEN, got %s", c.scope, field, r.Raw)
			}
		}
	}
}

// TestFormerAddressNeverBorrowsFromAProtectedResident: a former address's
// street name comes from DAR or from a current resident of the house who
// is not protected, so the answer does not depend on where a protected
// person lives.
func TestFormerAddressNeverBorrowsFromAProtectedResident(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	house := addr{Municipality: 101, Street: 888, StreetName: "Hemmeligvej", House: "3", PostalCode: 2200, District: "København N"}
	const hidden, open = "0101751234", "0202751234"
	person{CPR: hidden, First: "Henny", Last: "Skjult", Status: "01", Address: house}.insert(t, env)
	protect(t, env, hidden, daysFromToday(-30))
	formerAddress{ID: "vh", CPR: privV, Address: addr{Municipality: 101, Street: 888, House: "3"}, In: "2001-01-01", Out: "2005-01-01"}.insert(t, env)

	const q = `query($cpr: String!) { person(cpr: $cpr) { addressHistory { streetName postalCode validFrom } } }`
	for _, profile := range []access.Profile{access.Private, access.Authority} {
		r := ok(t, env.query(t, profile, q, map[string]any{"cpr": privV}))
		wantEqual(t, r, "person.addressHistory.1", map[string]any{"streetName": nil, "postalCode": nil, "validFrom": "2001-01-01"})
	}
	person{CPR: open, First: "Åse", Last: "Åben", Status: "01", Address: house}.insert(t, env)
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": privV}))
	wantEqual(t, r, "person.addressHistory.1", map[string]any{"streetName": "Hemmeligvej", "postalCode": float64(2200), "validFrom": "2001-01-01"})
}

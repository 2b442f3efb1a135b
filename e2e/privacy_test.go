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
	for _, p := range []struct{ cpr, first, last, born, sex, status, door string }{
		{privV, "Vera", "Synlig", "1980-12-12", "K", "01", "tv"},
		{privS, "Sune", "Skjult", "1982-02-13", "M", "01", "tv"},
		{privK, "Kim", "Synlig", "2010-03-14", "M", "01", "tv"},
		{privO, "Otto", "Gammelnummer", "1960-04-15", "M", "60", "th"},
		{privN, "Otto", "Nytnummer", "1960-04-15", "M", "01", "th"},
		{privU, "Ulla", "Gammelnummer", "1961-05-16", "K", "60", "mf"},
		{privW, "Ulla", "Nytnummer", "1961-05-16", "K", "01", "mf"},
		{privF, "Frida", "Tokilder", "1971-06-17", "K", "01", "2"},
	} {
		env.exec(t, `INSERT INTO person (cpr, fornavn, efternavn, adresserings_navn, foedselsdato, koen, status,
			kommune_kode, vej_kode, vejnavn, husnummer, etage, side_doer_nummer, postnummer, postdistrikt)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 101, 777, 'Skjulevej', '7', '1', $8, 2100, 'København Ø')`,
			p.cpr, p.first, p.last, p.last+","+p.first, p.born, p.sex, p.status, p.door)
	}
	env.exec(t, `UPDATE person SET gaeldende_cpr = $2 WHERE cpr = $1`, privO, privN)
	env.exec(t, `UPDATE person SET gaeldende_cpr = $2 WHERE cpr = $1`, privU, privW)
	env.exec(t, `UPDATE person SET navnebeskyttelsestartdato = current_date - 5 WHERE cpr = $1`, privF)
	env.exec(t, `INSERT INTO personkontakt (cpr, navne_adressebeskyttelse_start_dato, navne_adressebeskyttelse_slette_dato) VALUES
		($1, current_date - 100, NULL), ($2, current_date - 100, NULL), ($3, current_date - 100, NULL),
		($4, '2000-01-01', '2010-01-01')`, privS, privN, privU, privF)
	env.exec(t, `INSERT INTO personfamilie (cpr, civilstand, civilstand_start_dato, aegtefaelle_cpr, mor_cpr, far_cpr) VALUES
		($1, 'G', '2009-06-01', $2, NULL, NULL), ($2, 'G', '2009-06-01', $1, NULL, NULL), ($3, 'U', NULL, NULL, $2, $1)`,
		privV, privS, privK)
	env.exec(t, `INSERT INTO barnrelation (id, cpr, barn_cpr) VALUES ('pv', $1, $3), ('ps', $2, $3)`, privV, privS, privK)
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
		"search":                              `{ searchPersons(criteria: {postalCode: 2100, name: "Otto", streetName: "Skjul", houseNumber: "7"}) { edges { node { cpr } } } }`,
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

	r = ok(t, env.query(t, access.Private, `{ searchPersons(criteria: {postalCode: 2100, name: "Frida", streetName: "Skjul", houseNumber: "7"}) { edges { node { cpr } } } }`, nil))
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
			if r := env.queryWithKey(t, key, strings.Replace(c.query, "%s", field, 1)); len(r.Errors) > 0 {
				t.Errorf("scope %s reading %s: %s", c.scope, field, r.Raw)
			}
		}
		for _, field := range c.forbidden {
			r := env.queryWithKey(t, key, strings.Replace(c.query, "%s", field, 1))
			if r.code() != "FORBIDDEN" || strings.Contains(r.Raw, privS) || strings.Contains(r.Raw, "Skjulevej") && strings.HasPrefix(field, "addressHistory") {
				t.Errorf("scope %s reading %s: want FORBIDDEN, got %s", c.scope, field, r.Raw)
			}
		}
	}
}

// TestEveryPersonFieldHasAnAccessRule: a field added to Person is refused
// until access says which scope it needs.
func TestEveryPersonFieldHasAnAccessRule(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	schema := introspect(t, env)
	person := schema.byName["Person"]
	if person == nil {
		t.Fatal("no Person type")
	}
	for _, f := range person.Fields {
		if !access.PersonFieldClassified(f.Name) {
			t.Errorf("Person.%s has no access rule: add it to access/fields.go", f.Name)
		}
	}
}

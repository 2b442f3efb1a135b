package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/apperr"
	"cprgraph/graph"
)

// The fixture's persons. P1, P2 and P3 have an active name-and-address
// protection and a unique marker in every name and address column of every
// seed-004 table; C is an unprotected control person whose spouse (P1, who
// also lives with C and is C's guardian), mother (P2) and child (P3) are
// protected; F is C's unprotected father.
const (
	leakP1 = "1203851112" // protected through personkontakt
	leakP2 = "0507551118" // protected through person's name protection dates
	leakP3 = "2010154013" // protected child
	leakC  = "1506820017"
	leakF  = "0101501237"

	leakOwnerCVR      = "12345678" // owns the property C and P1 live in; linked to the LANDLORD test org
	leakSpareOwnerCVR = "87654321"
	darAddressID      = "0a3f50a0-73c1-32b8-e044-0003ba298018"
	darHouseID        = "0a3f507c-b2cf-32b8-e044-0003ba298018"

	markerPrefix = "Zqx"
)

// markerRE finds markers in a response.
var markerRE = regexp.MustCompile(`(?i)zqxp[0-9]n[0-9]{3}`)

// leakFixture is the seeded data: the placeholders of sampleArgs and which
// column each marker was written to.
type leakFixture struct {
	vars    map[string]string
	markers map[string]string // marker → "P1 person.fornavn"
	next    int
}

// expand replaces the placeholders in s.
func (f *leakFixture) expand(s string) string {
	for k, v := range f.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// insert inserts a row into table with the given values, writing a fresh
// marker of the person who into each of markCols.
func (f *leakFixture) insert(t *testing.T, env *testEnv, who, table string, values map[string]any, markCols ...string) {
	t.Helper()
	for _, col := range markCols {
		values[col] = f.marker(who, table+"."+col)
	}
	insertRow(t, env, table, values)
}

// marker returns a fresh marker of the protected person who (P1, P2, P3),
// noting where it is written.
func (f *leakFixture) marker(who, where string) string {
	f.next++
	m := fmt.Sprintf("%s%sn%03d", markerPrefix, who, f.next)
	f.markers[strings.ToLower(m)] = who + " " + where
	return m
}

// seedLeakFixture writes the fixture into env's database.
func seedLeakFixture(t *testing.T, env *testEnv) *leakFixture {
	t.Helper()
	ctx := context.Background()
	f := &leakFixture{markers: map[string]string{}, vars: map[string]string{
		"P1": leakP1, "P2": leakP2, "P3": leakP3, "C": leakC, "F": leakF,
		"OWNER_CVR": leakOwnerCVR, "SPARE_OWNER": leakSpareOwnerCVR,
		"DAR_ADDRESS": darAddressID, "DAR_HOUSE": darHouseID,
		"YEAR_AGO": access.Today().AddDate(0, -11, 0).Format(time.DateOnly),
	}}
	today := access.Today()
	day := func(days int) time.Time { return today.AddDate(0, 0, days) }
	eligibleOwner(t, env, 900001, "55556666") // the owner addOwnerLink links (sampleArgs)

	// The shared dwelling of C and P1, its property and owner.
	home := map[string]any{"kommune_kode": 101, "vej_kode": 1234, "husnummer": "7", "etage": "2", "side_doer_nummer": "tv"}
	with := func(m map[string]any, extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	faellesvej7 := addr{Municipality: 101, Street: 1234, StreetName: "Fællesvej", House: "7", Floor: "2", Door: "tv",
		PostalCode: 2100, District: "København Ø"}
	property(t, env, 1000001, "Testejendom")
	darAddress{ID: darAddressID, HouseNumberID: darHouseID, Address: faellesvej7, BFE: 1000001}.insert(t, env)
	ownership{BFE: 1000001, CVR: leakOwnerCVR, From: "2000-01-01"}.insert(t, env)

	// The protected persons: markers everywhere.
	for i, p := range []struct {
		who, cpr, sex string
		born          time.Time
		viaKontakt    bool
		address       map[string]any
	}{
		{"P1", leakP1, "K", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC), true, home},
		{"P2", leakP2, "K", time.Date(1955, 7, 5, 0, 0, 0, 0, time.UTC), false, map[string]any{"kommune_kode": 147, "vej_kode": 42, "husnummer": "3"}},
		{"P3", leakP3, "M", time.Date(2015, 10, 20, 0, 0, 0, 0, time.UTC), true, map[string]any{"kommune_kode": 461, "vej_kode": 77, "husnummer": "12"}},
	} {
		person := with(p.address, map[string]any{"cpr": p.cpr, "foedselsdato": p.born, "koen": p.sex, "status": "01", "postnummer": 2100, "start_dato": day(-400)})
		if !p.viaKontakt {
			person["navnebeskyttelsestartdato"] = day(-5)
		}
		f.insert(t, env, p.who, "person", person,
			"adresserings_navn", "bynavn", "co_navn", "efternavn", "fornavn", "lokalitet", "mellemnavn",
			"postdistrikt", "standard_adresse", "vejnavn", "stilling")
		kontakt := map[string]any{"cpr": p.cpr}
		if p.viaKontakt {
			kontakt["navne_adressebeskyttelse_start_dato"] = day(-10)
			kontakt["navne_adressebeskyttelse_slette_dato"] = day(300)
		}
		f.insert(t, env, p.who, "personkontakt", kontakt, "co_navn",
			"kontakt_adr1", "kontakt_adr2", "kontakt_adr3", "kontakt_adr4", "kontakt_adr5",
			"supplerende_adr1", "supplerende_adr2", "supplerende_adr3", "supplerende_adr4", "supplerende_adr5",
			"udlands_adr1", "udlands_adr2", "udlands_adr3", "udlands_adr4", "udlands_adr5")
		f.insert(t, env, p.who, "personfamilie", map[string]any{"cpr": p.cpr, "civilstand": "U"},
			"aegtefaelle_navn", "far_navn", "mor_navn")
		f.insert(t, env, p.who, "personudvidet", map[string]any{"cpr": p.cpr},
			"flyttepaabud_bemaerkninger", "kommunaleforhold_bemaerkninger", "foedselsregistreringssted_tekst")
		id := func(kind string) string { return fmt.Sprintf("%s-%s-%d", kind, p.who, i) }
		f.insert(t, env, p.who, "historiskeadresser", with(p.address, map[string]any{"id": id("ha"), "cpr": p.cpr, "tilflytnings_dato": day(-400)}), "co_navn")
		f.insert(t, env, p.who, "historiskeadresser", map[string]any{"id": id("ha-old"), "cpr": p.cpr, "kommune_kode": 751, "vej_kode": 9, "husnummer": "1",
			"tilflytnings_dato": day(-2000), "fraflytnings_dato": day(-400)}, "co_navn")
		f.insert(t, env, p.who, "historiskenavneoplysninger", map[string]any{"id": id("hn"), "cpr": p.cpr, "start_dato": day(-3000), "slut_dato": day(-400)},
			"fornavn", "mellemnavn", "efternavn")
		f.insert(t, env, p.who, "historiskecivilstande", map[string]any{"id": id("hc"), "cpr": p.cpr, "civilstand": "G", "start_dato": day(-3000), "slut_dato": day(-400)},
			"aegtefaelle_navn")
		f.insert(t, env, p.who, "historiskerejseoplysninger", map[string]any{"id": id("hr"), "cpr": p.cpr, "udrejse_dato": day(-900), "indrejse_dato": day(-500)},
			"udlands_adr1", "udlands_adr2", "udlands_adr3", "udlands_adr4", "udlands_adr5")
		f.insert(t, env, p.who, "notat", map[string]any{"id": id("n"), "cpr": p.cpr, "notat_nummer": 1, "start_dato": day(-100)}, "notat_linje")
		f.insert(t, env, p.who, "umyndiggoerelsevaergerelation", map[string]any{"id": id("uv"), "cpr": p.cpr, "type_kode": "0001", "type_tekst": "Værge",
			"umyndig_start_dato": day(-100)}, "vaerges_navn", "relations_tekst1", "relations_tekst2", "relations_tekst3", "relations_tekst4", "relations_tekst5")
	}

	// The unprotected persons, and every relation of C to a protected person
	// with the protected person's name where the model stores one.
	person{CPR: leakC, First: "Kontrol", Last: "Kontrolsen", AddressingName: "Kontrolsen,Kontrol", Born: "1982-06-15", Sex: "M",
		Status: "01", Address: faellesvej7, Since: iso(day(-400))}.insert(t, env)
	person{CPR: leakF, First: "Frede", Last: "Kontrolsen", AddressingName: "Kontrolsen,Frede", Born: "1950-01-01", Sex: "M",
		Status: "01", Address: addr{Municipality: 147, Street: 50, StreetName: "Fredevej", House: "1", PostalCode: 2000, District: "Frederiksberg"},
		Since: iso(day(-400))}.insert(t, env)
	family{CPR: leakC, CivilStatus: "G", Spouse: leakP1, SpouseName: f.marker("P1", "as C's personfamilie.aegtefaelle_navn"),
		Mother: leakP2, MotherName: f.marker("P2", "as C's personfamilie.mor_navn"), Father: leakF, FatherName: "Frede Kontrolsen"}.insert(t, env)
	env.exec(t, `UPDATE personfamilie SET aegtefaelle_cpr = $2 WHERE cpr = $1`, leakP1, leakC)
	env.exec(t, `UPDATE personfamilie SET far_cpr = $2 WHERE cpr = $1`, leakP3, leakC)
	formerCivilStatus{ID: "hc-C", CPR: leakC, CivilStatus: "G", Spouse: leakP1,
		SpouseName: f.marker("P1", "as C's historiskecivilstande.aegtefaelle_navn"), From: iso(day(-1000))}.insert(t, env)
	child(t, env, "br-C-P3", leakC, leakP3)
	child(t, env, "br-P2-C", leakP2, leakC)
	child(t, env, "br-F-C", leakF, leakC)
	custody{ID: "fm-P3-C", Child: leakP3, Holder: leakC, TypeCode: "0005", TypeText: "Anden indehaver", Since: iso(day(-1000))}.insert(t, env)
	guardianship{ID: "uv-C-P1", CPR: leakC, Guardian: leakP1, TypeCode: "0001", TypeText: "Værge", GuardianSince: iso(day(-100))}.insert(t, env)
	formerAddress{ID: "ha-C", CPR: leakC, Address: faellesvej7, In: iso(day(-400))}.insert(t, env)

	// The LANDLORD test organisation may look up the owner; a spare client
	// and owner link for the ADMIN mutations of the matrix test.
	landlordOrg, err := env.Store.Clients.OrganisationByName(ctx, "Test "+string(access.Landlord))
	if err != nil {
		t.Fatal(err)
	}
	linkOwners(t, env, leakOwnerCVR, leakSpareOwnerCVR)
	spare, _, err := env.Store.Clients.CreateClient(ctx, landlordOrg.ID, "spare", string(access.Landlord), access.DefaultScopes(access.Landlord))
	if err != nil {
		t.Fatal(err)
	}
	f.vars["LANDLORD_ORG"] = strconv.FormatInt(landlordOrg.ID, 10)
	f.vars["SPARE_CLIENT"] = strconv.FormatInt(spare.ID, 10)
	// P1's marker name and street, so searches can aim at a protected person.
	for m, where := range f.markers {
		switch where {
		case "P1 person.fornavn":
			f.vars["P1_NAME"] = m
		case "P1 person.vejnavn":
			f.vars["P1_STREET"] = m
		}
	}
	return f
}

// leakTestEnv is a test server without the limits that the exhaustive
// queries of the leak and matrix tests would trip.
func leakTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, func(c *app.Config) {
		c.MaxComplexity, c.MaxQueryDepth, c.RateLimitRPS = 0, 0, 0
	})
}

// TestNoProtectedDataLeaksBeyondAuthority runs, for every root query field of the live schema, a query
// selecting every field path below it (to leakDepth, each type at most
// twice on a path, every member of unions and interfaces) with every sample
// argument list, as every profile. No marker of a protected person may
// appear in any answer for a profile other than AUTHORITY; AUTHORITY must
// see markers, which shows the test would see a leak.
func TestNoProtectedDataLeaksBeyondAuthority(t *testing.T) {
	t.Parallel()
	const leakDepth, maxVisits = 6, 2
	env := leakTestEnv(t)
	fx := seedLeakFixture(t, env)
	schema := introspect(t, env)

	authoritySaw := map[string]bool{}
	for _, root := range schema.rootFields() {
		if root.Root != schema.QueryType.Name {
			continue
		}
		lists, err := argLists(root.Root, root.Field)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, args := range lists {
			doc, problems := schema.operation(root, fx.expand(args), leakDepth, maxVisits)
			for _, p := range problems {
				t.Error(p)
			}
			ranWithoutError := false
			for _, profile := range access.Profiles {
				r := env.query(t, profile, doc, nil)
				// The errors accepted: a profile that may not call the field,
				// and a derived answer withheld because a protected person
				// takes part.
				for _, e := range r.Errors {
					if code, _ := e.Extensions["code"].(string); code != string(apperr.Forbidden) && code != string(apperr.Withheld) {
						t.Errorf("%s(%s) as %s: unexpected error %s %q at %v", root, args, profile, code, e.Message, e.Path)
					}
				}
				if len(r.Errors) == 0 {
					ranWithoutError = true
				}
				for path, markers := range markersIn(r.Data) {
					for _, m := range markers {
						if profile == access.Authority {
							authoritySaw[m] = true
							continue
						}
						t.Errorf("LEAK: %s(%s) as %s shows %s (%s) at %s", root, args, profile, m, fx.markers[m], path)
					}
				}
			}
			if !ranWithoutError {
				t.Errorf("%s(%s): no profile got an answer without errors; fix its sample arguments", root, args)
			}
		}
	}
	if len(authoritySaw) == 0 {
		t.Fatal("AUTHORITY saw no marker: the leak test would not see a leak either")
	}
	var seen []string
	for m := range authoritySaw {
		seen = append(seen, fx.markers[m])
	}
	slices.Sort(seen)
	t.Logf("AUTHORITY saw %d of %d markers: %s", len(seen), len(fx.markers), strings.Join(seen, "; "))
}

// markersIn returns the markers in a JSON document by the path they are at.
func markersIn(data json.RawMessage) map[string][]string {
	out := map[string][]string{}
	if len(data) == 0 || !markerRE.Match(data) {
		return out
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		out["(unparsable)"] = markerRE.FindAllString(strings.ToLower(string(data)), -1)
		return out
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(path+"["+strconv.Itoa(i)+"]", x)
			}
		case string:
			for _, m := range markerRE.FindAllString(strings.ToLower(v), -1) {
				out[path] = append(out[path], m)
			}
		}
	}
	walk("data", v)
	return out
}

// TestSubjectFieldsNullable checks the schema rule masking relies on: a
// field of a @subject type that is not @unmasked answers null for a masked
// subject, so it must be nullable.
func TestSubjectFieldsNullable(t *testing.T) {
	t.Parallel()
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	subjects := 0
	for name, typ := range schema.Types {
		if typ.Directives.ForName("subject") == nil {
			continue
		}
		subjects++
		for _, f := range typ.Fields {
			if f.Directives.ForName("unmasked") == nil && f.Type.NonNull {
				t.Errorf("%s.%s is neither nullable nor @unmasked: a masked %s could not answer it", name, f.Name, name)
			}
		}
	}
	if subjects == 0 {
		t.Fatal("no @subject type in the schema")
	}
}

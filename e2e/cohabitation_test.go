package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cprgraph/access"
	"cprgraph/db"
)

const cohabitationQuery = `query($primary: [String!]!, $newOwner: [String!]!, $date: Date) {
	cohabitation(primary: $primary, newOwner: $newOwner, date: $date) {
		feeDue rule explanation primary newOwner date
		dates { marriedSince marriageEnded separatedSince deathDate commonAddressFrom commonAddressTo }
		pairs { primary newOwner rule explanation dates { marriedSince commonAddressFrom } }
	}
}`

type cohabitationAnswer struct {
	FeeDue      bool
	Rule        string
	Explanation string
	Primary     *string
	NewOwner    string
	Date        string
	Dates       map[string]*string
	Pairs       []struct {
		Primary, NewOwner, Rule, Explanation string
	}
}

func (env *testEnv) cohabitation(t *testing.T, profile access.Profile, primary, newOwner []string, date any) cohabitationAnswer {
	t.Helper()
	r := env.query(t, profile, cohabitationQuery, map[string]any{"primary": primary, "newOwner": newOwner, "date": date})
	var data struct{ Cohabitation cohabitationAnswer }
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &data) != nil {
		t.Fatalf("cohabitation %v %v: %s", primary, newOwner, r.Raw)
	}
	return data.Cohabitation
}

// cohabitationPerson inserts a living person (1 January 1970, serial n) at
// no address and returns the CPR number.
func cohabitationPerson(t *testing.T, env *testEnv, n int) string {
	t.Helper()
	c := fmt.Sprintf("010170%04d", n)
	person{CPR: c, First: "Navn", Last: "Efternavn" + c, Status: "01"}.insert(t, env)
	return c
}

// liveAt registers a person's current address and move-in day.
func liveAt(t *testing.T, env *testEnv, who string, road int, door, since string) {
	t.Helper()
	env.exec(t, `UPDATE person SET kommune_kode = 101, vej_kode = $2, husnummer = '1', etage = '2', side_doer_nummer = $3 WHERE cpr = $1`, who, road, door)
	contact{CPR: who, MovedIn: since}.insert(t, env)
}

// livedAt registers a former address at house 1 of road; correction is
// the ret/fortryd marker ("" for none).
func livedAt(t *testing.T, env *testEnv, who string, road int, in, out, correction string) {
	t.Helper()
	formerAddress{ID: fmt.Sprintf("%s-%d-%s", who, road, in), CPR: who, Address: addr{Municipality: 101, Street: road, House: "1"},
		In: in, Out: out, Correction: correction}.insert(t, env)
}

// TestCohabitationExemptionPerRule checks a dated fixture for each exemption of
// § 124 m, stk. 2, judged on 2025-06-01.
func TestCohabitationExemptionPerRule(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const day = "2025-06-01"
	p := func(n int) string { return cohabitationPerson(t, env, n) }

	// 1) Spouses: married since 2015-05-05, on both records.
	a1, b1, stranger := p(1001), p(1002), p(1003)
	marry(t, env, a1, b1, "2015-05-05")

	// 2) The owner died married to the new owner, as the survivor's
	// history says; a divorce; a separation.
	a2, b2 := p(2001), p(2002)
	env.exec(t, `UPDATE person SET status = '90', status_dato = '2025-03-01' WHERE cpr = $1`, a2)
	family{CPR: b2, CivilStatus: "E", Since: "2025-03-01"}.insert(t, env)
	formerCivilStatus{ID: "c2", CPR: b2, CivilStatus: "G", Spouse: a2, From: "1990-08-08", To: "2025-03-01"}.insert(t, env)
	a3, b3 := p(3001), p(3002)
	family{CPR: a3, CivilStatus: "F", Since: "2020-05-01"}.insert(t, env)
	formerCivilStatus{ID: "c3", CPR: a3, CivilStatus: "G", Spouse: b3, From: "2010-01-01", To: "2020-05-01"}.insert(t, env)
	a4, b4 := p(4001), p(4002)
	family{CPR: a4, CivilStatus: "G", Spouse: b4, Since: "2012-01-01", SeparatedSince: "2024-09-01"}.insert(t, env)

	// 3) Cohabitants since 2018, through a move together; an annulled
	// earlier stay does not count. Others only since 2021.
	a5, b5 := p(5001), p(5002)
	liveAt(t, env, a5, 500, "tv", "2019-01-01")
	liveAt(t, env, b5, 500, "tv", "2019-01-01")
	livedAt(t, env, a5, 501, "2018-01-01", "2019-01-01", "")
	livedAt(t, env, b5, 501, "2018-01-01", "2019-01-01", "")
	livedAt(t, env, a5, 502, "2010-01-01", "2018-01-01", "A")
	livedAt(t, env, b5, 502, "2010-01-01", "2018-01-01", "")
	a6, b6 := p(6001), p(6002)
	liveAt(t, env, a6, 600, "th", "2021-01-01")
	liveAt(t, env, b6, 600, "th", "2021-01-01")
	neighbour := p(6003)
	liveAt(t, env, neighbour, 500, "th", "2000-01-01") // the same stairwell as a5, another door

	// 4) The owner died after living with the new owner since 2022-06-01.
	a7, b7 := p(7001), p(7002)
	liveAt(t, env, a7, 700, "tv", "2022-06-01")
	liveAt(t, env, b7, 700, "tv", "2022-06-01")
	env.exec(t, `UPDATE person SET status = '90', status_dato = '2025-01-10' WHERE cpr = $1`, a7)

	// 5) Lived together 2012-01-01 to 2019-03-01, apart since.
	a8, b8 := p(8001), p(8002)
	livedAt(t, env, a8, 800, "2012-01-01", "2019-03-01", "")
	livedAt(t, env, b8, 800, "2012-01-01", "2019-03-01", "")
	liveAt(t, env, a8, 801, "tv", "2019-03-01")
	liveAt(t, env, b8, 802, "tv", "2019-03-01")

	for _, c := range []struct {
		name            string
		primary, owner  string
		rule            string
		dates           map[string]string
		explanationHint string
	}{
		{"spouses", a1, b1, "SPOUSES", map[string]string{"marriedSince": "2015-05-05"}, "nr. 1"},
		{"spouse after death", a2, b2, "SPOUSE_AFTER_DEATH_DIVORCE_OR_SEPARATION", map[string]string{"marriedSince": "1990-08-08", "deathDate": "2025-03-01"}, "dødsfald"},
		{"spouse after divorce", a3, b3, "SPOUSE_AFTER_DEATH_DIVORCE_OR_SEPARATION", map[string]string{"marriedSince": "2010-01-01", "marriageEnded": "2020-05-01"}, "skilsmisse"},
		{"spouse after separation", a4, b4, "SPOUSE_AFTER_DEATH_DIVORCE_OR_SEPARATION", map[string]string{"marriedSince": "2012-01-01", "separatedSince": "2024-09-01"}, "separation"},
		{"cohabitants five years", a5, b5, "COHABITANTS_FIVE_YEARS", map[string]string{"commonAddressFrom": "2018-01-01"}, "nr. 3"},
		{"cohabitants four years", a6, b6, "NONE", map[string]string{"commonAddressFrom": "2021-01-01"}, "under fem år"},
		{"neighbours", a5, neighbour, "NONE", nil, "gebyr"},
		{"death after two years", a7, b7, "DEATH_AFTER_TWO_YEARS_COMMON_ADDRESS", map[string]string{"deathDate": "2025-01-10", "commonAddressFrom": "2022-06-01"}, "nr. 4"},
		{"end of cohabitation", a8, b8, "END_OF_COHABITATION_AFTER_FIVE_YEARS", map[string]string{"commonAddressFrom": "2012-01-01", "commonAddressTo": "2019-03-01"}, "nr. 5"},
		{"strangers", a1, stranger, "NONE", nil, "gebyr skal betales"},
	} {
		got := env.cohabitation(t, access.Authority, []string{c.primary}, []string{c.owner}, day)
		if got.Rule != c.rule || got.FeeDue != (c.rule == "NONE") || got.Date != day || got.NewOwner != c.owner || got.Primary == nil || *got.Primary != c.primary {
			t.Errorf("%s: %+v", c.name, got)
		}
		for field, value := range got.Dates {
			if want, ok := c.dates[field]; (value == nil) == ok || (ok && *value != want) {
				t.Errorf("%s: dates.%s = %v, want %q", c.name, field, value, want)
			}
		}
		if !strings.Contains(got.Explanation, c.explanationHint) {
			t.Errorf("%s: explanation %q", c.name, got.Explanation)
		}
	}

	// Before the marriage: no exemption; the same day, as the new owner's
	// partner, the other way round.
	if got := env.cohabitation(t, access.Authority, []string{a1}, []string{b1}, "2015-05-04"); got.Rule != "NONE" || !got.FeeDue {
		t.Errorf("before the marriage: %+v", got)
	}
	if got := env.cohabitation(t, access.Private, []string{b1}, []string{a1}, nil); got.Rule != "SPOUSES" || got.Date != access.Today().Format("2006-01-02") {
		t.Errorf("today, as PRIVATE: %+v", got)
	}

	// Lists: every new owner needs an exemption.
	got := env.cohabitation(t, access.Authority, []string{stranger, a1}, []string{b1}, day)
	if got.FeeDue || got.Rule != "SPOUSES" || *got.Primary != a1 || len(got.Pairs) != 2 || got.Pairs[0].Rule != "NONE" || got.Pairs[1].Rule != "SPOUSES" {
		t.Errorf("two primary persons: %+v", got)
	}
	got = env.cohabitation(t, access.Authority, []string{a1}, []string{b1, stranger}, day)
	if !got.FeeDue || got.Rule != "NONE" || got.NewOwner != stranger || len(got.Pairs) != 2 {
		t.Errorf("two new owners, one a stranger: %+v", got)
	}
	got = env.cohabitation(t, access.Authority, []string{a1, b1}, []string{b1}, day)
	if got.FeeDue || len(got.Pairs) != 1 {
		t.Errorf("a co-owner takes over: %+v", got)
	}
}

func TestCohabitationRefusesBadInputAndOtherProfilesAndIsAudited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	a, b := cohabitationPerson(t, env, 1), cohabitationPerson(t, env, 2)

	for name, c := range map[string]struct {
		vars map[string]any
		code string
		says string
	}{
		"malformed":     {map[string]any{"primary": []string{"12345"}, "newOwner": []string{b}}, "BAD_USER_INPUT", "12345"},
		"unknown":       {map[string]any{"primary": []string{a}, "newOwner": []string{"0202021234"}}, "NOT_FOUND", "0202021234"},
		"empty":         {map[string]any{"primary": []string{}, "newOwner": []string{b}}, "BAD_USER_INPUT", "primary"},
		"too many":      {map[string]any{"primary": slices.Repeat([]string{a}, 11), "newOwner": []string{b}}, "BAD_USER_INPUT", "primary"},
		"future":        {map[string]any{"primary": []string{a}, "newOwner": []string{b}, "date": "2999-01-01"}, "BAD_USER_INPUT", "date"},
		"not a date":    {map[string]any{"primary": []string{a}, "newOwner": []string{b}, "date": "1. maj"}, "BAD_USER_INPUT", "Date"},
		"missing lists": {map[string]any{"primary": []string{a}}, "", ""},
	} {
		r := env.query(t, access.Authority, cohabitationQuery, c.vars)
		if len(r.Errors) == 0 || hasData(r.Data) || (c.code != "" && (r.code() != c.code || !strings.Contains(r.Errors[0].Message, c.says))) {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}

	vars := map[string]any{"primary": []string{a}, "newOwner": []string{b}}
	for profile, code := range map[access.Profile]string{access.Landlord: "FORBIDDEN", access.Admin: "FORBIDDEN", "": "UNAUTHENTICATED"} {
		if r := env.query(t, profile, cohabitationQuery, vars); r.code() != code || hasData(r.Data) {
			t.Errorf("%q: %s", profile, r.Raw)
		}
	}

	r := env.query(t, access.Private, cohabitationQuery, vars)
	if len(r.Errors) > 0 || strings.Contains(r.Raw, "Efternavn") {
		t.Fatalf("PRIVATE: %s", r.Raw)
	}
	// The calls that got past the gate are audited with the numbers asked
	// about, refused input too; PRIVATE's answer is one row.
	all, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: b, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	privateOrg, err := env.Store.Clients.OrganisationByName(context.Background(), "Test "+string(access.Private))
	if err != nil {
		t.Fatal(err)
	}
	rows := slices.DeleteFunc(all, func(e db.AuditEntry) bool { return e.OrganisationID != privateOrg.ID })
	if len(rows) != 1 {
		t.Fatalf("PRIVATE's audit rows %v", rows)
	}
	if !slices.Equal(rows[0].Operations, []string{"cohabitation"}) || !slices.Equal(rows[0].CPRs, []string{a, b}) {
		t.Errorf("audit row: %v %v", rows[0].Operations, rows[0].CPRs)
	}
}

// TestCohabitationWithheldWhenAProtectedPersonTakesPart: when a person of
// the check is protected, a caller other than AUTHORITY gets WITHHELD
// whatever the answer: the rule and the dates, and even whether the fee is
// due, would tell that the protected person lives or lived with the other.
func TestCohabitationWithheldWhenAProtectedPersonTakesPart(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	owner, newOwner := cohabitationPerson(t, env, 9001), cohabitationPerson(t, env, 9002)
	liveAt(t, env, owner, 900, "tv", "2015-01-01")
	liveAt(t, env, newOwner, 900, "tv", "2015-01-01")
	env.exec(t, `UPDATE personkontakt SET navne_adressebeskyttelse_start_dato = current_date - 30 WHERE cpr = $1`, newOwner)

	const q = `query($primary: [String!]!, $newOwner: [String!]!) {
		cohabitation(primary: $primary, newOwner: $newOwner) {
			feeDue rule explanation dates { commonAddressFrom } pairs { rule explanation dates { commonAddressFrom } } } }`
	vars := map[string]any{"primary": []string{owner}, "newOwner": []string{newOwner}}
	priv := env.query(t, access.Private, q, vars)
	if priv.code() != "WITHHELD" || len(priv.Errors) != 1 || hasData(priv.Data) {
		t.Errorf("PRIVATE: %s", priv.Raw)
	}
	auth := env.query(t, access.Authority, q, vars)
	if len(auth.Errors) > 0 || !strings.Contains(auth.Raw, `"commonAddressFrom":"2015-01-01"`) {
		t.Errorf("AUTHORITY: %s", auth.Raw)
	}
}

func TestCohabitationSmallMopedChangesOwnerWithoutFee(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	a, b := cohabitationPerson(t, env, 9001), cohabitationPerson(t, env, 9002)
	q := `query($p: [String!]!, $n: [String!]!, $v: VehicleType) { cohabitation(primary: $p, newOwner: $n, vehicle: $v) {
		feeDue rule explanation pairs { rule } } }`
	// Two strangers: a car's change of owner costs the fee, a small moped's does not.
	r := ok(t, env.query(t, access.Private, q, map[string]any{"p": []string{a}, "n": []string{b}}))
	wantEqual(t, r, "cohabitation.feeDue", true)
	r = ok(t, env.query(t, access.Private, q, map[string]any{"p": []string{a}, "n": []string{b}, "v": "SMALL_MOPED"}))
	wantEqual(t, r, "cohabitation", map[string]any{"feeDue": false, "rule": "SMALL_MOPED", "pairs": []any{},
		"explanation": "Registrering af anmeldelse om ejerskifte (brugerskifte) af registreringspligtig lille knallert sker uden betaling (§ 124 m, stk. 1)."})
	// The numbers are still checked.
	if r := env.query(t, access.Private, q, map[string]any{"p": []string{a}, "n": []string{"0101011234"}, "v": "SMALL_MOPED"}); r.code() != "NOT_FOUND" {
		t.Errorf("unknown number with a small moped: %s", r.Raw)
	}
}

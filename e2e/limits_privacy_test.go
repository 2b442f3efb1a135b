package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/app"
)

// seedSearchStreet registers n persons named Gadesen at Lillevej 3, 2100,
// CPR numbers 0101500001, 0101500002, ….
func seedSearchStreet(t *testing.T, env *testEnv, n int) {
	t.Helper()
	env.exec(t, `INSERT INTO person (cpr, fornavn, efternavn, foedselsdato, koen, status, kommune_kode, vej_kode, vejnavn, husnummer, postnummer, postdistrikt)
		SELECT '01015' || lpad(i::text, 5, '0'), 'Nr' || i, 'Gadesen', '1950-01-01', 'K', '01', 101, 777, 'Lillevej', '3', 2100, 'København Ø'
		FROM generate_series(1, $1) i`, n)
}

func TestPersonSearchAnswersAtMostNinePersonsAndSaysWhenMoreMatch(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedSearchStreet(t, env, 12)
	const q = `query($c: PersonSearchInput!) { searchPersons(criteria: $c) { moreHits persons { cpr } } }`
	street := map[string]any{"postalCode": 2100, "name": "Gadesen", "streetName": "Lillevej", "houseNumber": "3"}

	for _, profile := range []access.Profile{access.Private, access.Authority} {
		r := ok(t, env.query(t, profile, q, map[string]any{"c": street}))
		persons := at(t, r.Data, "searchPersons.persons").([]any)
		if len(persons) != 9 || at(t, r.Data, "searchPersons.moreHits") != true {
			t.Fatalf("%s: 12 match: want the first 9 and moreHits, got %d: %s", profile, len(persons), r.Raw)
		}
		for i, p := range persons {
			if want := fmt.Sprintf("01015%05d", i+1); p.(map[string]any)["cpr"] != want {
				t.Errorf("%s: hit %d is %v, want %s (CPR-number order)", profile, i, p, want)
			}
		}
	}

	// A refined search that matches fewer answers them all, without moreHits.
	refined := map[string]any{"postalCode": 2100, "name": "Nr1", "streetName": "Lillevej", "houseNumber": "3"} // Nr1, Nr10, Nr11, Nr12
	r := ok(t, env.query(t, access.Private, q, map[string]any{"c": refined}))
	if n := len(at(t, r.Data, "searchPersons.persons").([]any)); n != 4 || at(t, r.Data, "searchPersons.moreHits") != false {
		t.Errorf("refined: want 4 persons and no moreHits: %s", r.Raw)
	}

	// Exactly 9 matches: all 9, no moreHits.
	env.exec(t, `DELETE FROM person WHERE cpr IN ('0101500010', '0101500011', '0101500012')`)
	r = ok(t, env.query(t, access.Private, q, map[string]any{"c": street}))
	if n := len(at(t, r.Data, "searchPersons.persons").([]any)); n != 9 || at(t, r.Data, "searchPersons.moreHits") != false {
		t.Errorf("exactly 9 match: want 9 persons and no moreHits: %s", r.Raw)
	}

	// No paging past the 9, and no count of all hits.
	for name, doc := range map[string]string{
		"first":      `{ searchPersons(criteria: {postalCode: 2100, name: "Gadesen", streetName: "Lillevej", houseNumber: "3"}, first: 200) { moreHits } }`,
		"after":      `{ searchPersons(criteria: {postalCode: 2100, name: "Gadesen", streetName: "Lillevej", houseNumber: "3"}, after: "c2VhcmNoOjk") { moreHits } }`,
		"totalCount": `{ searchPersons(criteria: {postalCode: 2100, name: "Gadesen", streetName: "Lillevej", houseNumber: "3"}) { totalCount } }`,
	} {
		if r := env.query(t, access.Authority, doc, nil); r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s: want the document refused, got %s", name, r.Raw)
		}
	}
}

// hasCode reports whether any error of r has the code.
func (r gqlResponse) hasCode(code string) bool {
	for _, e := range r.Errors {
		if e.Extensions["code"] == code {
			return true
		}
	}
	return false
}

func TestPersonBudgetCountsDistinctPersonsAcrossAliasesBeforeExecution(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedSearchStreet(t, env, 150)
	cpr := func(i int) string { return fmt.Sprintf("01015%05d", i) }

	// 101 aliased person fields, one person each: refused before any is read.
	var doc strings.Builder
	doc.WriteString("{")
	for i := 1; i <= 101; i++ {
		fmt.Fprintf(&doc, ` p%d: person(cpr: "%s") { cpr lastName }`, i, cpr(i))
	}
	doc.WriteString(" }")
	r := env.query(t, access.Authority, doc.String(), nil)
	if r.code() != "PERSON_BUDGET_EXCEEDED" || strings.Contains(r.Raw, "Gadesen") || !strings.Contains(r.Errors[0].Message, "100") {
		t.Errorf("101 aliased persons: want PERSON_BUDGET_EXCEEDED naming the limit and no data, got %d %.300s", r.Status, r.Raw)
	}

	// Two batches of 60 in variables: 120 distinct persons.
	var a, b []string
	for i := 1; i <= 60; i++ {
		a, b = append(a, cpr(i)), append(b, cpr(60+i))
	}
	const two = `query($a: [String!]!, $b: [String!]!) { a: persons(cprs: $a) { cpr } b: addressHistory(cprs: $b) { cpr } }`
	if r := env.query(t, access.Authority, two, map[string]any{"a": a, "b": b}); r.code() != "PERSON_BUDGET_EXCEEDED" || strings.Contains(r.Raw, cpr(1)) {
		t.Errorf("60 + 60 persons in variables: %d %.300s", r.Status, r.Raw)
	}
	// The same 60 twice is 60 persons, and 100 distinct are allowed.
	if r := env.query(t, access.Authority, two, map[string]any{"a": a, "b": a}); len(r.Errors) > 0 {
		t.Errorf("the same 60 persons twice: %.300s", r.Raw)
	}
	if r := env.query(t, access.Authority, two, map[string]any{"a": a, "b": b[:40]}); len(r.Errors) > 0 {
		t.Errorf("100 distinct persons: %.300s", r.Raw)
	}
	var audited int
	if err := env.Conn.Get(&audited, `SELECT count(*) FROM audit_log WHERE cardinality(cprs) > 100`); err != nil || audited != 0 {
		t.Errorf("%d audit rows with more than 100 persons (%v)", audited, err)
	}
}

func TestPersonBudgetStopsTheHundredAndFirstPersonReachedDuringExecution(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedSearchStreet(t, env, 150) // one household of 150 at Lillevej 3

	// One CPR number in the arguments; 150 persons reached.
	r := env.query(t, access.Authority, `{ household(cpr: "0101500001") { members { cpr protected person { lastName } } } }`, nil)
	if !r.hasCode("PERSON_BUDGET_EXCEEDED") {
		t.Fatalf("household of 150: want PERSON_BUDGET_EXCEEDED, got %d %.400s", r.Status, r.Raw)
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] != "PERSON_BUDGET_EXCEEDED" {
			t.Errorf("household of 150: an error of another kind: %+v", e)
		}
	}
	if n := strings.Count(r.Raw, `"Gadesen"`); n > 100 {
		t.Errorf("household of 150: %d persons shown", n)
	}
	var most int
	if err := env.Conn.Get(&most, `SELECT COALESCE(max(cardinality(cprs)), 0) FROM audit_log`); err != nil || most > 100 || most == 0 {
		t.Errorf("audit row of the household read holds %d persons (%v), want 1-100", most, err)
	}
}

func TestDailyQuotaIsCountedInTheDatabaseAcrossInstancesAndAnswers429WithTheReset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newTestEnv(t)
	org, err := env.Store.Clients.OrganisationByName(ctx, "Test PRIVATE")
	if err != nil {
		t.Fatal(err)
	}
	client, err := env.Store.Clients.ClientByName(ctx, org.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	// The ADMIN sets the quota.
	set := ok(t, env.query(t, access.Admin, `mutation($id: ID!) { setClientDailyQuota(id: $id, dailyQuota: 2) { name dailyQuota } }`,
		map[string]any{"id": strconv.FormatInt(client.ID, 10)}))
	wantEqual(t, set, "setClientDailyQuota.dailyQuota", float64(2))
	// A second server instance on the same database.
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	other := env.serve(t, cfg, app.Deps{DB: env.Conn, Store: env.Store})

	const q = `{ version }`
	for i, e := range []*testEnv{env, other} {
		if r := e.query(t, access.Private, q, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("request %d within the quota: %d %s", i+1, r.Status, r.Raw)
		}
	}
	before := time.Now()
	body := env.queryAs(t, map[string]string{"X-API-Key": env.Keys[access.Private]}, q)
	if body.Status != http.StatusTooManyRequests || body.code() != "QUOTA_EXCEEDED" {
		t.Fatalf("third request, quota 2 over two instances: want 429 QUOTA_EXCEEDED, got %d %s", body.Status, body.Raw)
	}
	_, reset := access.QuotaDay(before)
	resetAt, _ := body.Errors[0].Extensions["resetAt"].(string)
	if got, err := time.Parse(time.RFC3339, resetAt); err != nil || !got.Equal(reset) {
		t.Errorf("extensions.resetAt %q, want the next Danish midnight %s", resetAt, reset.UTC().Format(time.RFC3339))
	}
	retry, err := strconv.Atoi(body.Header.Get("Retry-After"))
	if err != nil || retry < 1 || retry > 25*3600 || before.Add(time.Duration(retry)*time.Second).Before(reset.Add(-2*time.Second)) {
		t.Errorf("Retry-After %q, want the seconds until %s", body.Header.Get("Retry-After"), reset)
	}
	if !strings.Contains(body.Errors[0].Message, "2 requests") {
		t.Errorf("message does not say the quota: %s", body.Errors[0].Message)
	}
	// Another client is not limited; the refused request was not counted.
	if r := env.query(t, access.Authority, q, nil); r.Status != http.StatusOK {
		t.Errorf("a client without a quota: %d %s", r.Status, r.Raw)
	}
	var counted int
	if err := env.Conn.Get(&counted, `SELECT lookups FROM client_lookup_day WHERE client_id = $1`, client.ID); err != nil || counted != 2 {
		t.Errorf("counted %d requests (%v), want 2", counted, err)
	}
}

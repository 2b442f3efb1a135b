package e2e

import (
	"fmt"
	"testing"

	"cprgraph/access"
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

package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"cprgraph/access"
)

// TestNULAndInvalidUTF8RefusedAsBadUserInput: a NUL character in a search
// or landlord string, and a body that is not UTF-8, are BAD_USER_INPUT,
// never INTERNAL.
func TestNULAndInvalidUTF8RefusedAsBadUserInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	search := `query($c: PersonSearchInput!) { searchPersons(criteria: $c) { totalCount } }`
	if r := env.query(t, access.Authority, search, map[string]any{"c": map[string]any{"postalCode": 2100, "name": "Test\x00esen", "streetName": "Testv", "houseNumber": "12"}}); r.Status != 400 || r.code() != "BAD_USER_INPUT" {
		t.Errorf("NUL in a search variable: %d %s", r.Status, r.Raw)
	}
	landlord := `{ residents(input: { owner: "12345674", cprAddress: { municipalityCode: 101, streetName: "Test\u0000vej", houseNumber: "12" }, from: "2026-01-01" }) { rows { moveIn } } }`
	if r := env.query(t, access.Landlord, landlord, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("NUL in a landlord string literal: %d %s", r.Status, r.Raw)
	}
	body := []byte(`{"query":"query($c: PersonSearchInput!) { searchPersons(criteria: $c) { totalCount } }","variables":{"c":{"postalCode":2100,"name":"Test` + "\xff\xfe" + `esen","streetName":"Testv","houseNumber":"12"}}}`)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range env.headers(access.Authority) {
		req.Header.Set(k, v)
	}
	if r := env.send(t, req); r.Status != 400 || r.code() != "BAD_USER_INPUT" {
		t.Errorf("invalid UTF-8: %d %s", r.Status, r.Raw)
	}
}

// TestEchoedInputCapped: an error that names its input shows a few hundred
// bytes of it, then an ellipsis.
func TestEchoedInputCapped(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	long := strings.Repeat("9", 100000)
	r := env.query(t, access.Authority, `query($c: String!) { person(cpr: $c) { cpr } }`, map[string]any{"c": long})
	if len(r.Errors) == 0 || r.code() != "BAD_USER_INPUT" {
		t.Fatalf("got %s", r.Raw[:min(len(r.Raw), 400)])
	}
	if m := r.Errors[0].Message; len(m) > 400 || !strings.HasSuffix(m, "…") {
		t.Errorf("message of %d bytes: %.80q…", len(m), m)
	}
}

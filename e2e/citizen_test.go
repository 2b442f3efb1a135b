package e2e

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/apperr"
	"cprgraph/auth"
)

const myLookupsGQL = `{ myLookups { edges { cursor node { at organisation purpose } } pageInfo { hasNextPage } } }`

// TestCitizenSeesWhoLookedThemUp: a CITIZEN JWT lists the reads of its own
// number (organisation, purpose, time), a read that showed it masked
// included, and nothing of other persons' reads or of the readers' clients.
func TestCitizenSeesWhoLookedThemUp(t *testing.T) {
	t.Parallel()
	secret := []byte("citizen-secret-of-at-least-32-bytes!")
	env := newTestEnvWith(t, func(c *app.Config) { c.JWT = auth.JWTConfig{HS256Secret: secret} })
	seedPrivacy(t, env)
	org, err := env.Store.Clients.UpsertOrganisation(context.Background(), "borger.dk", nil)
	if err != nil {
		t.Fatal(err)
	}
	token := func(sub string) map[string]string {
		c := jwt.MapClaims{"sub": sub, "org": org.ID, "profile": "CITIZEN", "exp": time.Now().Add(time.Hour).Unix()}
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return bearer(s)
	}
	read := func(profile access.Profile, purpose, query string) {
		t.Helper()
		h := env.headers(profile)
		h["X-Purpose"] = purpose
		if r := env.queryAs(t, h, query); len(r.Errors) > 0 {
			t.Fatalf("%s: %s", query, r.Raw)
		}
	}
	// Sune (protected) is read by an authority, then shown masked to a
	// private company; Vera is read by the authority only.
	read(access.Authority, "sag 1", `{ person(cpr: "`+privS+`") { cpr firstName } }`)
	read(access.Private, "sag 2", `{ person(cpr: "`+privS+`") { cpr protected firstName } }`)
	read(access.Authority, "sag 3", `{ person(cpr: "`+privV+`") { cpr } }`)

	type lookups struct {
		MyLookups struct {
			Edges []struct {
				Node struct {
					At           time.Time
					Organisation *string
					Purpose      string
				}
			}
		}
	}
	list := func(h map[string]string) (lookups, gqlResponse) {
		t.Helper()
		r := env.queryAs(t, h, myLookupsGQL)
		var out lookups
		json.Unmarshal(r.Data, &out)
		return out, r
	}

	got, r := list(token(privS))
	if len(r.Errors) > 0 {
		t.Fatalf("myLookups as Sune: %s", r.Raw)
	}
	var seen []string
	for _, e := range got.MyLookups.Edges {
		n := e.Node
		if n.Organisation == nil || n.At.IsZero() {
			t.Errorf("lookup without organisation or time: %s", r.Raw)
			continue
		}
		seen = append(seen, *n.Organisation+"/"+n.Purpose)
	}
	if want := []string{"Test AUTHORITY/sag 1", "Test PRIVATE/sag 2"}; !slices.Equal(seen, want) {
		t.Errorf("Sune's lookups: got %v, want %v (%s)", seen, want, r.Raw)
	}
	// Nothing of the rows but organisation, purpose and time: no client
	// name, no CPR number (its own or others').
	for _, leak := range []string{privS, privV, privK, `"test"`, "sag 3"} {
		if strings.Contains(r.Raw, leak) {
			t.Errorf("myLookups shows %s: %s", leak, r.Raw)
		}
	}

	if got, r := list(token(privV)); len(got.MyLookups.Edges) != 1 || got.MyLookups.Edges[0].Node.Purpose != "sag 3" {
		t.Errorf("Vera's lookups: want only sag 3, got %s", r.Raw)
	}
	if got, r := list(token(privK)); len(r.Errors) > 0 || len(got.MyLookups.Edges) != 0 {
		t.Errorf("Kim, never looked up: want no lookups, got %s", r.Raw)
	}

	// A CITIZEN may call nothing else, and a CITIZEN token must name a CPR number.
	for _, q := range []string{
		`{ person(cpr: "` + privS + `") { cpr } }`,
		`{ auditLog(cpr: "` + privS + `") { edges { node { purpose } } } }`,
	} {
		if r := env.queryAs(t, token(privS), q); r.code() != string(apperr.Forbidden) || hasData(r.Data) {
			t.Errorf("%s as CITIZEN: want FORBIDDEN, got %s", q, r.Raw)
		}
	}
	if r := env.queryAs(t, token("citizen-portal"), myLookupsGQL); r.code() != string(apperr.Unauthenticated) {
		t.Errorf("CITIZEN token whose sub is no CPR number: want UNAUTHENTICATED, got %s", r.Raw)
	}
	// An API client of the CITIZEN profile has no number of its own.
	if got, r := list(env.headers(access.Citizen)); len(r.Errors) > 0 || len(got.MyLookups.Edges) != 0 {
		t.Errorf("CITIZEN API client: want no lookups, got %s", r.Raw)
	}
}

package e2e

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"cprgraph/access"
	"cprgraph/db"
)

// personLists are the paged person lists (a birth-date circle over
// seedFamily and the circle's extra persons; the search does not page),
// each with the path of its connection.
var personLists = []struct{ name, query, path string }{
	{"birth date", `query($first: Int, $after: String) { c: personsByBirthDate(from: "1980-01-01", to: "1980-04-09", first: $first, after: $after) {
		pageInfo { hasNextPage endCursor } edges { cursor node { cpr } } } }`, "c"},
}

// seedCircle adds 155 persons born 1980-01-01 to 1980-01-31 to
// seedFamily's, as TestPersonsByBirthDatePagesAndHidesProtectedByMunicipality does, all in municipality 101.
func seedCircle(t *testing.T, env *testEnv) {
	t.Helper()
	seedFamily(t, env)
	januaryBorn(t, env, func(int) int { return 101 })
}

// januaryBorn inserts Jan, five persons born on each day of January 1980
// with the serial numbers 1 to 5 (DD0180000s), each in the municipality
// municipality(serial).
func januaryBorn(t *testing.T, env *testEnv, municipality func(serial int) int) {
	t.Helper()
	for day := 1; day <= 31; day++ {
		for serial := 1; serial <= 5; serial++ {
			person{CPR: fmt.Sprintf("%02d0180%04d", day, serial), Born: fmt.Sprintf("1980-01-%02d", day), First: "Jan",
				Address: addr{Municipality: municipality(serial)}}.insert(t, env)
		}
	}
}

// TestCursorCarriesNoPersonalData: paging through the person lists, no
// cursor holds a CPR number or a date, encoded or decoded, so none leaves
// the server outside the audited nodes.
func TestCursorCarriesNoPersonalData(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedCircle(t, env)
	personal := regexp.MustCompile(`[0-9]{6}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}-[0-9]{2}-[0-9]{4}`)
	for _, l := range personLists {
		vars := map[string]any{"first": 7}
		var cursors []string
		seen := map[string]bool{}
		for {
			r := ok(t, env.query(t, access.Authority, l.query, vars))
			for _, e := range at(t, r.Data, l.path+".edges").([]any) {
				edge := e.(map[string]any)
				cursors = append(cursors, edge["cursor"].(string))
				seen[edge["node"].(map[string]any)["cpr"].(string)] = true
			}
			if at(t, r.Data, l.path+".pageInfo.hasNextPage") == false {
				break
			}
			vars["after"] = at(t, r.Data, l.path+".pageInfo.endCursor").(string)
			cursors = append(cursors, vars["after"].(string))
		}
		if len(seen) < 3 {
			t.Fatalf("%s: only %d persons", l.name, len(seen))
		}
		for _, c := range cursors {
			raw, err := base64.RawURLEncoding.DecodeString(c)
			if err != nil {
				t.Errorf("%s: cursor %q is not base64url: %v", l.name, c, err)
			}
			for _, s := range []string{c, string(raw)} {
				if m := personal.FindString(s); m != "" {
					t.Errorf("%s: cursor %q (%q) holds %q", l.name, c, raw, m)
				}
				for cpr := range seen {
					if strings.Contains(s, cpr) || strings.Contains(s, cpr[:6]+"-"+cpr[6:]) {
						t.Errorf("%s: cursor %q (%q) holds %s", l.name, c, raw, cpr)
					}
				}
			}
		}
	}
}

// TestCursorOfAnotherListRefused: a cursor is a position in its own list;
// every other list answers it with BAD_USER_INPUT and says why.
func TestCursorOfAnotherListRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedCircle(t, env)
	personEvent(t, env, "ADDRESS", cprF)
	personEvent(t, env, "ADDRESS", cprM)
	lists := map[string]struct {
		profile access.Profile
		query   string
	}{
		"birth date": {access.Authority, personLists[0].query},
		"events": {access.Authority, `query($first: Int, $after: String) { c: personEvents(first: $first, after: $after) {
			pageInfo { hasNextPage endCursor } } }`},
		"audit": {access.Admin, `query($first: Int, $after: String) { c: auditLog(first: $first, after: $after) {
			pageInfo { hasNextPage endCursor } } }`},
	}
	ok(t, env.query(t, access.Authority, `{ person(cpr: "0101701111") { cpr } }`, nil)) // an audit row
	cursors := map[string]string{}
	for name, l := range lists {
		r := ok(t, env.query(t, l.profile, l.query, map[string]any{"first": 1}))
		cursors[name] = at(t, r.Data, "c.pageInfo.endCursor").(string)
		// Its own cursor reads.
		ok(t, env.query(t, l.profile, l.query, map[string]any{"first": 1, "after": cursors[name]}))
	}
	for name, l := range lists {
		for other, c := range cursors {
			if other == name {
				continue
			}
			r := env.query(t, l.profile, l.query, map[string]any{"first": 1, "after": c})
			if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "another list") {
				t.Errorf("%s given a cursor of %s: %s", name, other, r.Raw)
			}
		}
	}
}

// TestLargestPageStillTellsTheNextPage: a page of the most events `first`
// allows still knows whether more follow.
func TestLargestPageStillTellsTheNextPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for range db.MaxEventPage + 1 {
		personEvent(t, env, "ADDRESS", cprF)
	}
	page := env.events(t, access.Authority, map[string]any{"first": db.MaxEventPage}).PersonEvents
	if len(page.Edges) != db.MaxEventPage || !page.PageInfo.HasNextPage {
		t.Fatalf("first page: %d events, hasNextPage %v", len(page.Edges), page.PageInfo.HasNextPage)
	}
	page = env.events(t, access.Authority, map[string]any{"first": db.MaxEventPage, "after": *page.PageInfo.EndCursor}).PersonEvents
	if len(page.Edges) != 1 || page.PageInfo.HasNextPage {
		t.Errorf("second page: %d events, hasNextPage %v", len(page.Edges), page.PageInfo.HasNextPage)
	}
}

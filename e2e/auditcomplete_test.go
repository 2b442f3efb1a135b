package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/cpr"
)

// cprLike finds candidate CPR numbers (ten digits, or six-dash-four) in text.
var cprLike = regexp.MustCompile(`(^|[^0-9])([0-9]{6}-?[0-9]{4})([^0-9]|$)`)

// numbersIn returns the CPR numbers in s (those cpr.Parse takes), looking
// into base64 too (cursors).
func numbersIn(s string) []string {
	var out []string
	texts := []string{s}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			texts = append(texts, string(b))
		}
	}
	for _, text := range texts {
		for _, m := range cprLike.FindAllStringSubmatch(text, -1) {
			if n, err := cpr.Parse(m[2]); err == nil && !slices.Contains(out, string(n)) {
				out = append(out, string(n))
			}
		}
	}
	return out
}

// disclosed returns the CPR numbers in a JSON answer, and by the name of
// each field (the alias prefix of union members removed) whether it carried
// one.
func disclosed(data json.RawMessage, fields map[string]bool) []string {
	var v any
	if len(data) == 0 || json.Unmarshal(data, &v) != nil {
		return nil
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case string:
			if ns := numbersIn(v); len(ns) > 0 {
				if i := strings.LastIndex(key, "_"); i >= 0 {
					key = key[i+1:]
				}
				fields[key] = true
				for _, n := range ns {
					if !slices.Contains(out, n) {
						out = append(out, n)
					}
				}
			}
		}
	}
	walk("", v)
	return out
}

// auditRow returns the CPR numbers of the audit row of the request, and
// whether there is one.
func (env *testEnv) auditRow(t *testing.T, requestID string) ([]string, bool) {
	t.Helper()
	var rows []pq.StringArray
	if err := env.Conn.SelectContext(context.Background(), &rows, `SELECT cprs FROM audit_log WHERE request_id = $1`, requestID); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return nil, false
	}
	if len(rows) > 1 {
		t.Errorf("request %s has %d audit rows", requestID, len(rows))
	}
	return rows[0], true
}

// TestEveryDisclosedNumberIsAudited runs, for every root query field of the
// live schema, with every sample argument list and as every profile, the
// query selecting every field path below it and the existence query
// selecting only __typename. Every CPR number in the answer (in any field,
// or inside a cursor) must be in the request's audit row, and so must the
// numbers asked about unless the call was refused at the gate.
//
// It also finds, from the schema, every field whose value can be a CPR
// number (a String field named like *cpr*) and requires each to have
// answered with a number somewhere in the run, so that the comparison
// covered it.
func TestEveryDisclosedNumberIsAudited(t *testing.T) {
	t.Parallel()
	const depth, maxVisits = 6, 2
	env := leakTestEnv(t)
	fx := seedLeakFixture(t, env)
	// Numbers the leak fixture has no field for: Anna changes her number
	// (her new number's event has oldCpr, her old record newCpr), and C has
	// a former number.
	const annaNew = "1403800042"
	importDelta(t, env, "person", annaRecord(nil))
	importDelta(t, env, "person", annaRecord(map[string]any{"cpr": annaNew, "statusDato": "2024-10-01"}),
		annaRecord(map[string]any{"slutDato": "2030-01-01", "status": "60", "statusDato": "2024-10-01", "gaeldendeCPR": annaNew}))
	insertRow(t, env, "historiskepersonnumre", map[string]any{"id": "H-C", "cpr": leakC, "historisk_cpr": "1506820025", "start_dato": "1982-06-15", "slut_dato": "1990-01-01"})
	extraArgs := map[string][]string{"Query.person": {`cpr: "` + evAnna + `"`}}
	schema := introspect(t, env)

	numberFields := map[string][]string{} // field name → Type.field
	for _, typ := range schema.Types {
		if typ.Kind != "OBJECT" || strings.HasPrefix(typ.Name, "__") {
			continue
		}
		for _, f := range typ.Fields {
			if named := f.Type.named(); (named == "String" || named == "ID") && strings.Contains(strings.ToLower(f.Name), "cpr") {
				numberFields[f.Name] = append(numberFields[f.Name], typ.Name+"."+f.Name)
			}
		}
	}
	if len(numberFields) == 0 {
		t.Fatal("no field named like *cpr* in the schema")
	}

	answered := map[string]bool{}
	seq := 0
	for _, root := range schema.rootFields() {
		if root.Root != schema.QueryType.Name {
			continue
		}
		lists, err := argLists(root.Root, root.Field)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, args := range append(slices.Clone(lists), extraArgs[root.String()]...) {
			args = fx.expand(args)
			full, problems := schema.operation(root, args, depth, maxVisits)
			for _, p := range problems {
				t.Error(p)
			}
			docs := []string{full}
			if k := schema.byName[root.Field.Type.named()].Kind; k != "SCALAR" && k != "ENUM" {
				docs = append(docs, "query { "+call(root.Field.Name, args)+" { __typename } }")
			}
			asked := numbersIn(args)
			for _, doc := range docs {
				for _, profile := range access.Profiles {
					seq++
					requestID := fmt.Sprintf("completeness-%d", seq)
					headers := env.headers(profile)
					headers["X-Request-Id"] = requestID
					r := env.queryAs(t, headers, doc)
					want := disclosed(r.Data, answered)
					for _, e := range r.Errors {
						want = append(want, numbersIn(e.Message)...)
					}
					if code := r.code(); code != string(apperr.Forbidden) && code != string(apperr.Unauthenticated) {
						want = append(want, asked...)
					}
					if len(want) == 0 {
						continue
					}
					row, ok := env.auditRow(t, requestID)
					var missing []string
					for _, n := range want {
						if !slices.Contains(row, n) && !slices.Contains(missing, n) {
							missing = append(missing, n)
						}
					}
					if !ok || len(missing) > 0 {
						t.Errorf("%s(%s) as %s (%.60s…): numbers %v left the server without being in the audit row %v (row written: %v)",
							root, args, profile, strings.TrimPrefix(doc, "query { "), missing, row, ok)
					}
				}
			}
		}
	}
	for name, where := range numberFields {
		if !answered[name] {
			t.Errorf("%v never answered with a CPR number: give the fixture data for it, so the completeness check covers it", where)
		}
	}
	var seen []string
	for name := range answered {
		seen = append(seen, name)
	}
	slices.Sort(seen)
	t.Logf("fields that carried CPR numbers: %s", strings.Join(seen, ", "))
}

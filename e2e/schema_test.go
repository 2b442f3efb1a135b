package e2e

// The live schema, read by introspection, and queries built from it: the
// leak test and the authorization matrix cover every root field that exists,
// including those added after they were written. A root field (or a nested
// field) with required arguments needs an entry in sampleArgs.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cprgraph/access"
)

// sampleArgs are the arguments the generated queries pass, by "Type.field",
// one argument list per query to run; the placeholders in braces are the
// fixture's (see leakFixture.vars). A root field is run once per entry (once
// without arguments when it has none and needs none); a nested field uses
// its first entry. Add a line here for every new field with required
// arguments.
var sampleArgs = map[string][]string{
	"Query.person":   {`cpr: "{P1}"`, `cpr: "{P2}"`, `cpr: "{P3}"`, `cpr: "{C}"`},
	"Query.auditLog": {`cpr: "{P1}"`, ``},
	"Query.persons":  {`cprs: ["{P1}", "{P2}", "{P3}", "{C}", "{F}"]`},
	"Query.searchPersons": {
		`criteria: {postalCode: 2100, name: "{P1_NAME}", streetName: "{P1_STREET}", houseNumber: "7"}`,
		`criteria: {postalCode: 2100, name: "Kontrol", streetName: "Fællesvej", houseNumber: "7"}`,
	},
	"Query.personsByBirthDate": {`from: "1985-03-12"`, `from: "1955-07-01", to: "1955-07-31"`, `from: "2015-10-20"`},
	"Query.addressHistory":     {`cprs: ["{P1}", "{P2}", "{P3}", "{C}"]`},
	"Query.sharedAddress":      {`cprA: "{C}", cprB: "{P1}"`, `cprA: "{P2}", cprB: "{P3}"`},
	"Query.household":          {`cpr: "{C}"`, `cpr: "{P1}"`, `cpr: "{P3}"`},
	"Query.residents": {
		`input: {owner: "{OWNER_CVR}", darAddressId: "{DAR_ADDRESS}", from: "{YEAR_AGO}"}`,
		`input: {owner: "{OWNER_CVR}", darHouseNumberId: "{DAR_HOUSE}", from: "{YEAR_AGO}"}`,
	},
	"Query.streets":      {`municipalityCode: 101, prefix: "Lin"`, `municipalityCode: 101, prefix: "f", first: 5`},
	"Query.cohabitation": {`primary: ["{P1}"], newOwner: ["{C}"]`, `primary: ["{C}", "{P2}"], newOwner: ["{P3}", "{P1}"]`},

	"Mutation.createOrganisation":         {`name: "Matrix Org", cvr: "11112222"`},
	"Mutation.createClient":               {`organisationId: "{LANDLORD_ORG}", name: "matrix", profile: PRIVATE`},
	"Mutation.revokeClient":               {`id: "{SPARE_CLIENT}"`},
	"Mutation.setClientDailyQuota":        {`id: "{SPARE_CLIENT}", dailyQuota: 1000`},
	"Mutation.rotateClientKey":            {`id: "{SPARE_CLIENT}"`},
	"Mutation.addOwnerLink":               {`organisationId: "{LANDLORD_ORG}", ownerNumber: "55556666"`},
	"Mutation.removeOwnerLink":            {`organisationId: "{LANDLORD_ORG}", ownerNumber: "{SPARE_OWNER}"`},
	"Query.webhookDeliveries":             {`subscriptionId: "1"`},
	"Mutation.createResidentMovesWebhook": {`url: "http://127.0.0.1:9/hook"`},
	"Mutation.createPersonEventsWebhook":  {`url: "http://127.0.0.1:9/hook"`},
}

// introSchema is the part of the introspection answer the builders need.
type introSchema struct {
	QueryType        struct{ Name string }
	MutationType     *struct{ Name string }
	SubscriptionType *struct{ Name string }
	Types            []*introType
}

type introType struct {
	Kind          string
	Name          string
	Fields        []introField
	PossibleTypes []struct{ Name string }
}

type introField struct {
	Name string
	Args []struct {
		Name         string
		Type         typeRef
		DefaultValue *string
	}
	Type typeRef
}

type typeRef struct {
	Kind   string
	Name   *string
	OfType *typeRef
}

// named is the named type under the list and non-null wrappers.
func (r typeRef) named() string {
	for r.Name == nil && r.OfType != nil {
		r = *r.OfType
	}
	if r.Name == nil {
		return ""
	}
	return *r.Name
}

const introspectionQuery = `{ __schema {
  queryType { name } mutationType { name } subscriptionType { name }
  types { kind name possibleTypes { name }
    fields { name
      args { name defaultValue type { ...T } }
      type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }`

// liveSchema is the server's schema as introspection shows it.
type liveSchema struct {
	introSchema
	byName map[string]*introType
}

func introspect(t *testing.T, env *testEnv) *liveSchema {
	t.Helper()
	r := env.query(t, access.Authority, introspectionQuery, nil)
	var data struct {
		Schema introSchema `json:"__schema"`
	}
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &data) != nil {
		t.Fatalf("introspection: %s", r.Raw)
	}
	s := &liveSchema{introSchema: data.Schema, byName: map[string]*introType{}}
	for _, typ := range s.Types {
		s.byName[typ.Name] = typ
	}
	return s
}

// rootField is one field of a root type, as a runnable operation.
type rootField struct {
	Root  string // "Query" or "Mutation"
	Field introField
}

func (f rootField) String() string { return f.Root + "." + f.Field.Name }

// rootFields returns every field of the query and mutation roots.
func (s *liveSchema) rootFields() []rootField {
	var out []rootField
	roots := []string{s.QueryType.Name}
	if s.MutationType != nil {
		roots = append(roots, s.MutationType.Name)
	}
	for _, root := range roots {
		for _, f := range s.byName[root].Fields {
			out = append(out, rootField{root, f})
		}
	}
	return out
}

// needsArgs reports whether the field has an argument without which it
// cannot be called.
func needsArgs(f introField) bool {
	for _, a := range f.Args {
		if a.Type.Kind == "NON_NULL" && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// argLists returns the argument lists to call a field with, or an error
// asking for sample arguments.
func argLists(owner string, f introField) ([]string, error) {
	key := owner + "." + f.Name
	if lists, ok := sampleArgs[key]; ok {
		return lists, nil
	}
	if needsArgs(f) {
		return nil, fmt.Errorf("add sample arguments for %s to sampleArgs in e2e_schema_test.go", key)
	}
	return []string{""}, nil
}

// call renders a field with an argument list.
func call(name, args string) string {
	if args == "" {
		return name
	}
	return name + "(" + args + ")"
}

// selectionBuilder writes selection sets covering every field path of a
// type down to a depth, visiting each type at most maxVisits times on one
// path (so a Person's spouse is expanded, but not the spouse's spouse's
// spouse).
type selectionBuilder struct {
	schema    *liveSchema
	maxVisits int
	problems  []string
	onPath    map[string]int
}

func (b *selectionBuilder) selection(typeName string, depth int) string {
	typ := b.schema.byName[typeName]
	if typ == nil || typ.Kind == "SCALAR" || typ.Kind == "ENUM" {
		return ""
	}
	if depth == 0 {
		return " { __typename }"
	}
	b.onPath[typeName]++
	defer func() { b.onPath[typeName]-- }()

	var sb strings.Builder
	sb.WriteString(" { __typename")
	switch typ.Kind {
	case "OBJECT":
		b.writeFields(&sb, typ, depth, "")
	case "INTERFACE", "UNION":
		for _, pt := range typ.PossibleTypes {
			// Alias every field inside a type condition: two member types
			// may have a field of the same name but another type.
			sb.WriteString(" ... on " + pt.Name + " {")
			b.writeFields(&sb, b.schema.byName[pt.Name], depth, pt.Name+"_")
			sb.WriteString(" }")
		}
	}
	sb.WriteString(" }")
	return sb.String()
}

func (b *selectionBuilder) writeFields(sb *strings.Builder, typ *introType, depth int, alias string) {
	for _, f := range typ.Fields {
		lists, err := argLists(typ.Name, f)
		if err != nil {
			if !slices.Contains(b.problems, err.Error()) {
				b.problems = append(b.problems, err.Error())
			}
			continue
		}
		target := f.Type.named()
		if k := b.schema.byName[target].Kind; (k == "OBJECT" || k == "INTERFACE" || k == "UNION") && b.onPath[target] >= b.maxVisits {
			continue
		}
		sb.WriteString(" ")
		if alias != "" {
			sb.WriteString(alias + f.Name + ": ")
		}
		sb.WriteString(call(f.Name, lists[0]))
		sb.WriteString(b.selection(target, depth-1))
	}
}

// operation returns the document calling root field f with args and
// selecting everything below it to depth.
func (s *liveSchema) operation(f rootField, args string, depth, maxVisits int) (string, []string) {
	b := &selectionBuilder{schema: s, maxVisits: maxVisits, onPath: map[string]int{}}
	kind := "query"
	if f.Root != s.QueryType.Name {
		kind = "mutation"
	}
	doc := kind + " { " + call(f.Field.Name, args) + b.selection(f.Field.Type.named(), depth-1) + " }"
	return doc, b.problems
}

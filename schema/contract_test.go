package schema_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"cprgraph/graph"
	"cprgraph/schema"
)

func live() *ast.Schema { return graph.NewExecutableSchema(graph.Config{}).Schema() }

func load(t *testing.T, file string) *ast.Schema {
	t.Helper()
	sdl, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: file, Input: string(sdl)})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return s
}

func TestPrintedSchemaIsCurrent(t *testing.T) {
	t.Parallel()
	committed, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != schema.Print(live()) {
		t.Fatal("schema/schema.graphql is stale: run `go generate ./...` and commit it")
	}
}

// TestBaselineContract fails when the server breaks a client of the
// published contract. Deprecate a field in baseline.graphql's successor and
// publish that first, or, for a deliberate break, publish a new baseline.
func TestBaselineContract(t *testing.T) {
	t.Parallel()
	if breaks := schema.Breaking(load(t, "baseline.graphql"), live()); len(breaks) > 0 {
		t.Fatalf("the schema breaks clients of schema/baseline.graphql:\n  %s", strings.Join(breaks, "\n  "))
	}
}

func TestBreaking(t *testing.T) {
	t.Parallel()
	const old = `
		type Query {
			person(cpr: String!, at: String): Person
			people: [Person!]!
			legacy: String @deprecated(reason: "use person")
			search(input: Search!): [Person!]
		}
		type Person implements Node { id: ID! name: String age: Int! }
		interface Node { id: ID! }
		input Search { name: String, postalCode: Int! }
		enum Status { ACTIVE DEAD OLD @deprecated }
		union Hit = Person
		scalar Date`
	parse := func(sdl string) *ast.Schema { return gqlparser.MustLoadSchema(&ast.Source{Input: sdl}) }
	for _, tc := range []struct {
		name, change, want string
	}{
		{"nothing", old, ""},
		{"additions", old + `
			extend type Query { events(first: Int): [String!] }
			extend type Person { sex: String }
			extend enum Status { GONE }`, ""},
		{"deprecated field removed", strings.Replace(old, `legacy: String @deprecated(reason: "use person")`, "", 1), ""},
		{"deprecated enum value removed", strings.Replace(old, "OLD @deprecated", "", 1), ""},
		{"output made non-null", strings.Replace(old, "name: String", "name: String!", 1), ""},
		{"input made nullable", strings.Replace(old, "postalCode: Int!", "postalCode: Int", 1), ""},
		{"field removed", strings.Replace(old, "age: Int!", "", 1), "field Person.age removed without being deprecated first"},
		{"output made nullable", strings.Replace(old, "age: Int!", "age: Int", 1), "field Person.age changed type from Int! to Int"},
		{"output type changed", strings.Replace(old, "people: [Person!]!", "people: [Person]!", 1), "field Query.people changed type from [Person!]! to [Person]!"},
		{"list to item", strings.Replace(old, "people: [Person!]!", "people: Person!", 1), "field Query.people changed type"},
		{"argument removed", strings.Replace(old, ", at: String", "", 1), "Query.person argument at removed"},
		{"argument made required", strings.Replace(old, "at: String", "at: String!", 1), "Query.person argument at changed type from String to String!"},
		{"required argument added", strings.Replace(old, "people:", "people(limit: Int!):", 1), "required Query.people argument limit added"},
		{"optional argument added", strings.Replace(old, "people:", "people(limit: Int = 10):", 1), ""},
		{"required input field added", strings.Replace(old, "name: String,", "name: String, street: String!,", 1), "required Search field street added"},
		{"input field removed", strings.Replace(old, "name: String,", "", 1), "Search field name removed"},
		{"enum value removed", strings.Replace(old, "DEAD ", "", 1), "enum value Status.DEAD removed"},
		{"type removed", strings.Replace(old, "scalar Date", "", 1), "type Date removed"},
		{"kind changed", strings.Replace(old, "scalar Date", "enum Date { X }", 1), "type Date changed from SCALAR to ENUM"},
		{"interface dropped", strings.Replace(old, "implements Node ", "", 1), "type Person no longer implements Node"},
		{"union member removed", strings.Replace(old, "union Hit = Person", "union Hit = Other type Other { x: Int }", 1), "union Hit lost member Person"},
	} {
		breaks := schema.Breaking(parse(old), parse(tc.change))
		got := strings.Join(breaks, "; ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

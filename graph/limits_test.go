package graph

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// plainSchema is an ExecutableSchema with no complexity functions of its own.
type plainSchema struct {
	graphql.ExecutableSchema
	schema *ast.Schema
}

func (s plainSchema) Schema() *ast.Schema { return s.schema }
func (plainSchema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

func TestListCost(t *testing.T) {
	t.Parallel()
	es := listCost{plainSchema{schema: gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query {
			batch(cprs: [String!]!): [P!]!
			one(cprs: [String!]!): P
			page(first: Int): [P!]!
		}
		type P { a: Int }`})}}
	ctx := context.Background()
	for _, tc := range []struct {
		field string
		args  map[string]any
		want  int
		ok    bool
	}{
		{"batch", map[string]any{"cprs": []any{"a", "b", "c"}}, 1 + 3*10, true},
		{"batch", map[string]any{"cprs": []any{"a"}}, 0, false},
		{"one", map[string]any{"cprs": []any{"a", "b", "c"}}, 0, false},
		{"page", map[string]any{"first": int64(100)}, 1 + 100*10, true},
		{"page", map[string]any{}, 0, false},
		{"page", map[string]any{"first": int64(1 << 40)}, 1 + (1<<31-1)*10, true},
	} {
		got, ok := es.Complexity(ctx, "Query", tc.field, 10, tc.args)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s %v: got %d %v, want %d %v", tc.field, tc.args, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSelectionDepth(t *testing.T) {
	t.Parallel()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { n: N } type N { n: N, v: Int }`})
	doc, err := gqlparser.LoadQuery(schema, `{ n { v ...F } __schema { types { fields { type { ofType { name } } } } } }
		fragment F on N { n { ... on N { n { v } } } }`)
	if err != nil {
		t.Fatal(err)
	}
	if d := selectionDepth(doc.Operations[0].SelectionSet, 100); d != 4 {
		t.Errorf("depth %d, want 4", d)
	}
	if d := selectionDepth(doc.Operations[0].SelectionSet, 2); d != 2 {
		t.Errorf("depth with stop 2: %d", d)
	}
}

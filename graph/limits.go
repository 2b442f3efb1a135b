package graph

import (
	"context"
	"encoding/json"
	"math"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cprgraph/access"
	"cprgraph/apperr"
)

// depthLimit refuses an operation whose selection sets, fragments included,
// nest deeper than max fields. Introspection (__schema, __type) is not
// counted: GraphiQL's own schema query is deeper than any sensible limit.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(op.Operation.SelectionSet, d.max+1); depth > d.max {
		err := gqlerror.Errorf("the operation nests deeper than the limit of %d levels", d.max)
		err.Extensions = map[string]any{"code": string(apperr.TooComplex)}
		return err
	}
	return nil
}

// selectionDepth is the depth of the deepest field in set, counting no
// further than stop (which also ends fragment cycles).
func selectionDepth(set ast.SelectionSet, stop int) int {
	if stop <= 0 {
		return 0
	}
	deepest := 0
	for _, sel := range set {
		var depth int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				continue
			}
			depth = 1 + selectionDepth(s.SelectionSet, stop-1)
		case *ast.InlineFragment:
			depth = selectionDepth(s.SelectionSet, stop)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				depth = selectionDepth(s.Definition.SelectionSet, stop)
			}
		}
		deepest = max(deepest, depth)
	}
	return deepest
}

// complexityLimit is gqlgen's fixed complexity limit computed over a schema
// whose list fields cost as many times their items as the operation asks
// for (see listCost).
type complexityLimit struct{ *extension.ComplexityLimit }

func newComplexityLimit(limit int) complexityLimit {
	return complexityLimit{extension.FixedComplexityLimit(limit)}
}

func (c complexityLimit) Validate(es graphql.ExecutableSchema) error {
	return c.ComplexityLimit.Validate(listCost{es})
}

// listCost gives a field without its own complexity function the cost
// 1 + n × its selection's cost, where n is its `first` argument, or, for a
// field returning a list, the length of its longest list argument (e.g. a
// batch of CPR numbers). Other fields cost gqlgen's default.
type listCost struct{ graphql.ExecutableSchema }

func (l listCost) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if c, ok := l.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return c, true
	}
	n := 0
	if first, ok := asInt(args["first"]); ok {
		n = first
	} else if l.returnsList(typeName, field) {
		for _, v := range args {
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
				n = max(n, rv.Len())
			}
		}
	}
	if n <= 1 {
		return 0, false
	}
	if child > 0 && n > (math.MaxInt-1)/child {
		return math.MaxInt, true // saturate: far over any limit
	}
	return 1 + n*child, true
}

func (l listCost) returnsList(typeName, field string) bool {
	t := l.Schema().Types[typeName]
	if t == nil {
		return false
	}
	f := t.Fields.ForName(field)
	return f != nil && f.Type.Elem != nil
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(min(n, math.MaxInt32)), true
	case json.Number:
		i, err := n.Int64()
		return int(min(i, math.MaxInt32)), err == nil
	}
	return 0, false
}

// personArguments are, per root field of Query, the arguments that name the
// persons it reads: a CPR number or a list of them. A root field not here
// names no person in its arguments (it may still reach persons, which the
// masker counts during execution).
var personArguments = map[string][]string{
	"person":         {"cpr"},
	"persons":        {"cprs"},
	"addressHistory": {"cprs"},
	"household":      {"cpr"},
	"sharedAddress":  {"cprA", "cprB"},
	"cohabitation":   {"primary", "newOwner"},
}

// personBudget refuses, before execution, a query whose root fields and
// aliases name more distinct CPR numbers in their arguments (variables
// included) than access.PersonBudget allows: PERSON_BUDGET_EXCEEDED. What
// the arguments cannot tell (relatives, household members) is counted
// during execution by the masker.
type personBudget struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = personBudget{}

func (personBudget) ExtensionName() string                   { return "PersonBudget" }
func (personBudget) Validate(graphql.ExecutableSchema) error { return nil }
func (personBudget) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || op.Operation.Operation != ast.Query {
		return nil
	}
	named := map[string]bool{}
	namedPersons(op.Operation.SelectionSet, op.Variables, named, map[string]bool{})
	if err := access.CheckPersonBudget(len(named)); err != nil {
		gqlErr := gqlerror.Errorf("%s", apperr.MessageOf(err))
		gqlErr.Extensions = apperr.ExtensionsOf(err)
		return gqlErr
	}
	return nil
}

// namedPersons adds to named the CPR numbers the root fields of set name
// in their person arguments, normalised so that one person written two ways
// counts once; fragments are followed once each.
func namedPersons(set ast.SelectionSet, vars map[string]any, named, fragments map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			args := personArguments[s.Name]
			if len(args) == 0 {
				continue
			}
			values := s.ArgumentMap(vars)
			for _, name := range args {
				switch v := values[name].(type) {
				case string:
					named[personKey(v)] = true
				case []any:
					for _, item := range v {
						if str, ok := item.(string); ok {
							named[personKey(str)] = true
						}
					}
				}
			}
		case *ast.InlineFragment:
			namedPersons(s.SelectionSet, vars, named, fragments)
		case *ast.FragmentSpread:
			if s.Definition != nil && !fragments[s.Name] {
				fragments[s.Name] = true
				namedPersons(s.Definition.SelectionSet, vars, named, fragments)
			}
		}
	}
}

// personKey is a CPR number in its one form, or the text as given when it
// is not one (it counts: the field still looks it up).
func personKey(s string) string {
	if n, err := parseCPR(s); err == nil {
		return n
	}
	return s
}
